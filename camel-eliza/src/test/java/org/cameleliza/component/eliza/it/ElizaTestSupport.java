package org.cameleliza.component.eliza.it;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.console.DevConsole;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.cameleliza.component.eliza.ElizaDevConsole;

/**
 * What the integration tests read the way an operator does: the "eliza" dev console.
 */
final class ElizaTestSupport {

    private ElizaTestSupport() {
    }

    /**
     * Turns on Camel's health checks with the "producers" repository, which is not there unless asked for
     * (camel.health.producersEnabled=true in Camel Main).
     */
    static void enableProducerHealthChecks(CamelContext context) {
        HealthCheckRegistry health = context.getCamelContextExtension().getContextPlugin(HealthCheckRegistry.class);
        health.setEnabled(true);
        HealthCheckRepository producers = (HealthCheckRepository) health.resolveById("producers");
        producers.setEnabled(true);
        health.register(producers);
    }

    static Map<?, ?> console(CamelContext context) {
        ElizaDevConsole console = new ElizaDevConsole();
        console.setCamelContext(context);
        return (Map<?, ?>) console.call(DevConsole.MediaType.JSON, Map.of());
    }

    static int connections(CamelContext context) {
        return ((List<?>) console(context).get("connections")).size();
    }

    /** The messages a consumer of the channel holds in its queue, not yet routed. */
    static int queueDepth(CamelContext context, String channelId) {
        return ((List<?>) console(context).get("consumers")).stream().map(c -> (Map<?, ?>) c)
                .filter(c -> channelId.equals(c.get("channelId")))
                .mapToInt(c -> ((Number) c.get("queueDepth")).intValue()).sum();
    }
}
