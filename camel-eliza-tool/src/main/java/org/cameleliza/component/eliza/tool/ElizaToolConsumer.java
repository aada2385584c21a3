package org.cameleliza.component.eliza.tool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Runs the route for each call of its tool, and answers the call with the route's result. Every way a call can end
 * (the route's result, its exception, a timeout, a stopping route) is an answer the agent reads: a JSON-RPC error
 * instead would make elizaOS drop the agent's whole answer.
 */
public class ElizaToolConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaToolConsumer.class);

    public ElizaToolConsumer(ElizaToolEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public ElizaToolEndpoint getEndpoint() {
        return (ElizaToolEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        getEndpoint().getComponent().server().add(this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().server().remove(this);
        super.doStop();
    }

    /** One call of the tool, answered when the route is done or the timeout runs out, whichever comes first. */
    Mono<McpSchema.CallToolResult> call(McpTransportContext context, McpSchema.CallToolRequest request) {
        Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
        // the answer is listened to before the route runs: the route may block this thread past the timeout
        return Mono.create(sink -> {
            CompletableFuture<McpSchema.CallToolResult> answer = new CompletableFuture<>();
            answer.thenAccept(sink::success);
            run(arguments, answer);
        });
    }

    private void run(Map<String, Object> arguments, CompletableFuture<McpSchema.CallToolResult> answer) {
        String tool = getEndpoint().getName();
        if (!isRunAllowed()) {
            answer.complete(ElizaToolResults.error("The tool " + tool + " is not available now: its route is stopping"));
            return;
        }
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(ElizaToolResults.toJson(arguments));
        exchange.getMessage().setHeader(ElizaToolConstants.TOOL_NAME, tool);
        exchange.getMessage().setHeader(ElizaToolConstants.TOOL_ARGUMENTS, new LinkedHashMap<>(arguments));
        arguments.forEach(exchange.getMessage()::setHeader);
        long timeout = getEndpoint().getTimeout();
        McpSchema.CallToolResult late = ElizaToolResults.error("The tool " + tool + " did not answer within "
                                                               + timeout + " ms");
        // armed before the route runs: a route that blocks its thread is answered in time all the same
        answer.completeOnTimeout(late, timeout, TimeUnit.MILLISECONDS).thenAccept(result -> {
            if (result == late) {
                LOG.warn("The tool {} (route {}) did not answer within {} ms: the agent was told so, and the route's"
                         + " result will be dropped",
                        tool, getRouteId(), timeout);
            }
        });
        try {
            getAsyncProcessor().process(exchange, doneSync -> {
                try {
                    answer.complete(ElizaToolResults.of(exchange));
                } catch (RuntimeException e) {
                    answer.complete(ElizaToolResults.error(ElizaToolResults.messageOf(e)));
                } finally {
                    releaseExchange(exchange, false);
                }
            });
        } catch (RuntimeException e) {
            answer.complete(ElizaToolResults.error(ElizaToolResults.messageOf(e)));
        }
    }
}
