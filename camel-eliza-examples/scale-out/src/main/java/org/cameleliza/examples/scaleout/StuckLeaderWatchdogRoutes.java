package org.cameleliza.examples.scaleout;

import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.master.MasterConsumer;
import org.cameleliza.component.eliza.ElizaEndpoint;

/**
 * Restarts the room route when this instance leads but its Eliza consumer does not run.
 * <p>
 * camel-master starts the Eliza consumer once this instance leads. In Camel 4.17 it tries only within a 5 s budget,
 * so once (fixed later: CAMEL-24583, CAMEL-24584): when the Eliza server cannot be reached at that moment the start
 * fails for good, and the instance would hold the lock without consuming until it stops. Restarting the route
 * releases the lock and starts both the election and the consumer again, so this instance or another consumes once
 * the server is back.
 */
public class StuckLeaderWatchdogRoutes extends RouteBuilder {

    static final String ROUTE_ID = "stuck-leader-watchdog";
    /** What it logs (WARN) before it restarts the room route. */
    static final String RESTARTING = "leads but its Eliza consumer does not run";

    // only the timer's thread reads and writes it
    private boolean stuckAtLastCheck;

    @Override
    public void configure() {
        from("timer:stuck-leader-watchdog?period={{app.watchdog-period-ms:15000}}")
                .routeId(ROUTE_ID)
                // stuck at two checks in a row: a start in progress (it takes up to connectTimeout) is not stuck
                .filter(exchange -> stuckTwice())
                .log(LoggingLevel.WARN, "This instance " + RESTARTING + " (it could not start, see above): restarting"
                                        + " the route, so that the election and the consumer start again")
                .process(exchange -> {
                    getContext().getRouteController().stopRoute(RoomDeliveryRoutes.ROUTE_ID);
                    getContext().getRouteController().startRoute(RoomDeliveryRoutes.ROUTE_ID);
                });
    }

    private boolean stuckTwice() {
        boolean stuck = leadsWithoutConsumer();
        boolean act = stuck && stuckAtLastCheck;
        stuckAtLastCheck = stuck && !act;
        return act;
    }

    /** Leads the namespace, and no Eliza connection is in use: the consumer is not started. */
    private boolean leadsWithoutConsumer() {
        Route route = getContext().getRoute(RoomDeliveryRoutes.ROUTE_ID);
        if (route == null || !(route.getConsumer() instanceof MasterConsumer master) || !master.isMaster()) {
            return false;
        }
        Endpoint delegate = ((DelegateEndpoint) route.getEndpoint()).getEndpoint();
        return delegate instanceof ElizaEndpoint eliza && "NONE".equals(eliza.getConnectionState());
    }
}
