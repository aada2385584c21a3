package org.cameleliza.examples.testkit;

import org.apache.camel.builder.RouteBuilder;

/**
 * The routes under test: {@code direct:question} asks the helpdesk agent and hands questions it cannot answer to a
 * human ({@code direct:escalate}); {@code direct:translate} asks the translator agent; {@code direct:streamToFile}
 * writes the helpdesk agent's answer into a file while the agent writes it. The agents' ids, the answers folder and the
 * server come from properties ({@code helpdesk.agentId}, {@code translator.agentId}, {@code answers.dir}) and the
 * component's configuration, as in production.
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

        // tag::streaming[]
        // the answer as the agent writes it: each chunk is appended to the file the moment it arrives
        from("direct:streamToFile").routeId("stream-to-file")
                .to("eliza:helpdesk-streamed?agentId={{helpdesk.agentId}}&streaming=true")
                .split(body()).streaming()
                    .to("file:{{answers.dir}}?fileName=${header.answerFile}&fileExist=Append")
                .end()
                // read to its end, the stream leaves the whole answer in a header
                .log("Answer written to ${header.answerFile}: ${header.CamelElizaStreamedText}");
        // end::streaming[]
    }
}
