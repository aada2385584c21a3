package org.cameleliza.examples.testkit;

import org.apache.camel.builder.RouteBuilder;

/**
 * The routes under test: {@code direct:question} asks the helpdesk agent and hands questions it cannot answer to a
 * human ({@code direct:escalate}); {@code direct:translate} asks the translator agent. The agents' ids and the
 * server come from properties ({@code helpdesk.agentId}, {@code translator.agentId}) and the component's
 * configuration, as in production.
 */
public class HelpdeskRoutes extends RouteBuilder {

    /** The words of the helpdesk agent's answer when it does not know. */
    public static final String DONT_KNOW = "I don't know";

    @Override
    public void configure() {
        from("direct:question").routeId("ask-helpdesk")
                .to("eliza:helpdesk?agentId={{helpdesk.agentId}}")
                .choice()
                    .when(body().contains(DONT_KNOW)).to("direct:escalate")
                .end();

        from("direct:escalate").routeId("escalate")
                .setHeader("escalated", constant(true))
                .log("Escalated to a human: ${body}");

        from("direct:translate").routeId("translate")
                .to("eliza:translations?agentId={{translator.agentId}}");
    }
}
