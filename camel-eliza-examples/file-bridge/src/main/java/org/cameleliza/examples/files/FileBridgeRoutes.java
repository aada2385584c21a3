package org.cameleliza.examples.files;

import org.apache.camel.builder.RouteBuilder;
import org.cameleliza.component.eliza.ElizaConstants;

/**
 * The file bridge in Java DSL, the same route as routes/file-bridge.camel.yaml: every question file dropped into
 * the inbox is asked to the agent, in a conversation of its own per file name, and the agent's answer is written to
 * the outbox as {@code <name>.answer.txt}. A question that fails (the agent does not answer in time, the server
 * refuses it) is moved to {@code inbox/.failed} with Camel's error logged: nothing is dropped silently.
 */
public class FileBridgeRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // tag::route[]
        from("file:{{bridge.inbox}}?include=.*\\.txt&move=.done&moveFailed=.failed"
             + "&readLock=changed&readLockCheckInterval=250&readLockMinAge=250")
                .routeId("file-bridge")
                .convertBodyTo(String.class)
                // one conversation (its own channel and memory with the agent) per file name
                .setHeader(ElizaConstants.CONVERSATION_KEY, simple("${file:onlyname.noext}"))
                // names an agent: the agent's answer becomes the body, though a file exchange is InOnly
                .to("eliza:file-bridge?agentId={{eliza.agentId}}&replyTimeout={{bridge.replyTimeout}}")
                .bean("bridgeSummary", "answered")
                .to("file:{{bridge.outbox}}?fileName=${file:onlyname.noext}.answer.txt");
        // end::route[]
    }
}
