package org.cameleliza.examples.scaleout;

import org.apache.camel.builder.RouteBuilder;

/**
 * Delivers the messages of one Eliza room to a sink the instances share, on the leader only.
 * <p>
 * {@code master:} starts the Eliza consumer when this instance becomes the leader of the namespace and stops it when
 * it stops leading. The consumer's idempotent repository ({@code deliveredIds}, a file all instances share: see
 * {@link SharedStateConfiguration}) holds the ids delivered: a new leader reads the room's history back to the newest
 * of them and delivers what is newer, so the messages posted while no instance led are not lost.
 */
public class RoomDeliveryRoutes extends RouteBuilder {

    /** The leader election namespace: the name of the lock file in the cluster service's root folder. */
    public static final String NAMESPACE = "eliza-room";
    static final String ROUTE_ID = "room-deliveries";

    @Override
    public void configure() {
        // tag::route[]
        from("master:" + NAMESPACE + ":eliza:{{app.room}}?agentId={{eliza.agent-id}}"
             + "&agentMessagesOnly={{app.agent-messages-only}}&idempotentRepository=#deliveredIds"
             + "&stateRepository=#roomPlace")
                .routeId(ROUTE_ID)
                // the effect, keyed by the server's message id: writing it again after a crash changes nothing
                .to("file:{{app.shared-dir}}/messages?fileName=${header.CamelElizaMessageId}.txt")
                // one line per delivery, appended: a message delivered twice shows up twice
                .setBody(simple("{{app.instance}}\t${header.CamelElizaMessageId}\t"
                                + "${iif(${header.CamelElizaRecovered} == true,recovered,live)}"))
                .to("file:{{app.shared-dir}}?fileName=deliveries.log&fileExist=Append&appendChars=\\n")
                .log("Delivered ${header.CamelElizaMessageId}");
        // end::route[]
    }
}
