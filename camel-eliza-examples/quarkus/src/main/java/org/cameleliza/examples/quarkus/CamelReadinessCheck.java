package org.cameleliza.examples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck.Result;
import org.apache.camel.health.HealthCheck.State;
import org.apache.camel.health.HealthCheckHelper;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Camel's readiness checks (context, routes, the Eliza consumers and producers) at {@code /q/health/ready}: DOWN
 * when one of them is DOWN, with each check's state (and, when DOWN, its message) as data.
 * <p>
 * camel-quarkus-microprofile-health does the same (as "camel-readiness-checks"); use it instead where it resolves.
 */
@Readiness
@ApplicationScoped
public class CamelReadinessCheck implements HealthCheck {

    @Inject
    CamelContext context;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("camel-readiness-checks");
        boolean up = true;
        for (Result result : HealthCheckHelper.invokeReadiness(context)) {
            response.withData(result.getCheck().getId(), result.getState().name());
            result.getMessage().ifPresent(message -> response.withData(result.getCheck().getId() + ".message", message));
            up &= result.getState() != State.DOWN;
        }
        return response.status(up).build();
    }
}
