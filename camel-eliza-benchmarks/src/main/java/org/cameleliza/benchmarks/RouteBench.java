package org.cameleliza.benchmarks;

import java.util.function.IntConsumer;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

/**
 * The component as users meet it: through routes. The producer is {@code from("direct:...").to("eliza:...")} fed by a
 * {@link ProducerTemplate}'s {@code asyncSend}; the consumer is {@code from("eliza:...").process(...)}. Each sender or
 * receiver adds its route to the running context and removes it when closed, so that the rounds stay interleaved with
 * the endpoint-level variants ({@link ProducerBench#component}, {@link ConsumerBench#component}).
 */
final class RouteBench {

    private RouteBench() {
    }

    /**
     * {@code template.asyncSend} into {@code direct: -> eliza:}. {@code threaded}: the template's default
     * ({@code threadedAsyncMode=true}, each send handed to the template's own thread pool first); false sends on the
     * caller's thread until the route goes asynchronous, which shows what that hand-off costs. {@code inOut}: a
     * request-reply, whose exchange completes with the agent's answer; then message i belongs to conversation
     * {@code i % conversations} (a channel each), so that requests in flight do not queue behind each other in one
     * conversation.
     */
    static ProducerBench.Sender producer(
            CamelContext context, String elizaUri, boolean threaded, boolean inOut, int conversations,
            String expectedPrefix)
            throws Exception {
        String routeId = "bench-producer-" + RawClient.newId();
        String from = "direct:" + routeId;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).routeId(routeId).to(elizaUri);
            }
        });
        ProducerTemplate template = context.createProducerTemplate();
        template.setThreadedAsyncMode(threaded);
        Endpoint endpoint = context.getEndpoint(from);
        return new ProducerBench.Sender() {
            @Override
            public void send(int i, Runnable done, java.util.function.Consumer<Throwable> failed) {
                template.asyncSend(endpoint, exchange -> {
                    exchange.getMessage().setBody("message " + i);
                    if (inOut) {
                        exchange.setPattern(ExchangePattern.InOut);
                        exchange.getMessage().setHeader("CamelElizaConversationKey", "conv-" + (i % conversations));
                    }
                }).whenComplete((exchange, error) -> {
                    Throwable failure = error != null ? error : exchange.getException();
                    if (failure == null && inOut && !reply(exchange).startsWith(expectedPrefix)) {
                        failure = new IllegalStateException("Unexpected reply: " + reply(exchange));
                    }
                    if (failure != null) {
                        failed.accept(failure);
                    } else {
                        done.run();
                    }
                });
            }

            @Override
            public void close() {
                try {
                    template.stop();
                    removeRoute(context, routeId);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static String reply(Exchange exchange) {
        return String.valueOf(exchange.getMessage().getBody(String.class));
    }

    /** {@code from("eliza:...").process(...)}: the processor is the sink. Returns once the channel is joined. */
    static ConsumerBench.Receiver consumer(CamelContext context, String elizaUri, IntConsumer sink) {
        String routeId = "bench-consumer-" + RawClient.newId();
        try {
            // the route starts when added to the running context; its consumer's start returns once the server
            // confirmed the join
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(elizaUri).routeId(routeId)
                            .process(exchange -> sink.accept(Integer.parseInt(exchange.getMessage().getBody(String.class))));
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return () -> {
            try {
                removeRoute(context, routeId);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void removeRoute(CamelContext context, String routeId) throws Exception {
        context.getRouteController().stopRoute(routeId);
        context.removeRoute(routeId);
    }
}
