package org.cameleliza.examples.springboot;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code direct:ask} asks the agent and returns its answer: the endpoint names the agent, so the answer becomes the
 * body whatever the exchange pattern (a timer's InOnly exchange too; {@code requestReply=false} would post one-way);
 * {@code agent-answers} listens to the channel and logs every message the agent posts there. The server, the identity
 * and the credentials come from {@code camel.component.eliza.*} in application.properties; the routes only name the
 * channel and the agent.
 */
@Component
public class AgentRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:ask").routeId("ask-agent")
                .to("eliza:{{eliza.channel}}?agentId={{eliza.agent-id}}");

        from("eliza:{{eliza.channel}}?agentId={{eliza.agent-id}}&agentMessagesOnly=true").routeId("agent-answers")
                .log("Agent answered: ${body}");
    }
}
