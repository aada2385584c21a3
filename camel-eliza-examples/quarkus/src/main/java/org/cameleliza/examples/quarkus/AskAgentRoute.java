package org.cameleliza.examples.quarkus;

import org.apache.camel.builder.RouteBuilder;

/**
 * Asks an elizaOS agent and listens to its answers.
 * <p>
 * Where the server is, who we are and which agent answers come from {@code application.properties}
 * ({@code camel.component.eliza.*}); the routes name only the channel.
 */
public class AskAgentRoute extends RouteBuilder {

    @Override
    public void configure() {
        // the component names the agent: the exchange completes with the agent's answer as body, whatever its
        // pattern (requestReply=false would post one-way)
        from("direct:ask")
                .routeId("ask-agent")
                .to("eliza:support")
                .log("The agent answered: ${body}");

        // everything the agent says in the channel (answers to other users included)
        from("eliza:support?agentMessagesOnly=true")
                .routeId("agent-messages")
                .log("Agent message ${header.CamelElizaMessageId}: ${body}");
    }
}
