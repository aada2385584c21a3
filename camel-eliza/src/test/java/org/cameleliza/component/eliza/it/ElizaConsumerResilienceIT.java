package org.cameleliza.component.eliza.it;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.BindToRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer survives what goes wrong: a failing route, a malformed payload, a message the server sends again.
 * The server and the connection are real; what a real server never sends (a malformed payload, a message again) is
 * handed to the connection as if it came from the socket.
 */
class ElizaConsumerResilienceIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    @BindToRegistry("recordingHandler")
    private final RecordingExceptionHandler handler = new RecordingExceptionHandler();

    private final String channel = "resilience-" + UUID.randomUUID();

    private String consumerUri() {
        return "eliza:" + channel + "?url=" + eliza.url();
    }

    /** Sends as another entity, so the consumer does not filter the message as its own. */
    private void sendAsOtherUser(String body) {
        template.sendBody("eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID(), body);
    }

    private ElizaConnection consumerConnection() {
        ElizaEndpoint endpoint = context.getEndpoint(consumerUri(), ElizaEndpoint.class);
        return context.getComponent("eliza", ElizaComponent.class).getConnectionManager().getConnections().stream()
                .filter(c -> c.getSettings().getEntityId().equals(endpoint.getEntityId())).findFirst().orElseThrow();
    }

    private void inject(String event, Object payload) {
        ElizaConnection connection = consumerConnection();
        connection.onServerEvent(event, new Object[] { payload });
    }

    private Map<String, Object> fakeBroadcast(String id, String text) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("id", id);
        payload.put("text", text);
        payload.put("senderId", UUID.randomUUID().toString());
        payload.put("channelId", ElizaIds.channelId(channel));
        payload.put("roomId", ElizaIds.channelId(channel));
        return payload;
    }

    @Test
    void aRouteThatThrowsDoesNotStopTheConsumer() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri() + "&exceptionHandler=#recordingHandler")
                        .filter(body().isEqualTo("boom")).throwException(new IllegalStateException("route failed")).end()
                        .to("mock:survived");
            }
        });
        MockEndpoint survived = getMockEndpoint("mock:survived");
        survived.setResultWaitTime(30000);
        survived.expectedBodiesReceived("before", "after");

        survived.setAssertPeriod(1500);
        sendAsOtherUser("before");
        sendAsOtherUser("boom");
        sendAsOtherUser("after");

        survived.assertIsSatisfied();
        assertThat(handler.errors).hasSize(1);
        assertThat(handler.errors.get(0)).hasMessageContaining("route failed");
    }

    @Test
    void aMalformedPayloadIsReportedAndTheConsumerKeepsRunning() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri() + "&exceptionHandler=#recordingHandler").to("mock:after-malformed");
            }
        });
        MockEndpoint after = getMockEndpoint("mock:after-malformed");
        after.setResultWaitTime(30000);
        after.expectedBodiesReceived("still here");

        after.setAssertPeriod(1500);
        inject("messageBroadcast", "{this is not json");
        sendAsOtherUser("still here");

        after.assertIsSatisfied();
        assertThat(handler.errors).hasSize(1);
        assertThat(handler.errors.get(0)).hasMessageContaining("Malformed JSON");
    }

    @Test
    void withBridgeErrorHandlerAMalformedPayloadGoesToTheRoutesErrorHandler() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("direct:dead"));
                from("direct:dead").process(e -> e.getMessage().setHeader("handledOn", Thread.currentThread().getName()))
                        .to("mock:dead");
                from(consumerUri() + "&bridgeErrorHandler=true").to("mock:bridged");
            }
        });
        MockEndpoint dead = getMockEndpoint("mock:dead");
        dead.setResultWaitTime(30000);
        dead.expectedMessageCount(1);
        MockEndpoint bridged = getMockEndpoint("mock:bridged");
        bridged.setResultWaitTime(30000);
        bridged.expectedBodiesReceived("after bridge");

        bridged.setAssertPeriod(1500);
        inject("messageBroadcast", "[1, 2, 3]");
        sendAsOtherUser("after bridge");

        dead.assertIsSatisfied();
        bridged.assertIsSatisfied();
        Exception caught = dead.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(caught).hasMessageContaining("Malformed JSON");
        // the route's error handler runs on the consumer's thread, not on the connection's or Socket.IO's
        assertThat(dead.getReceivedExchanges().get(0).getMessage().getHeader("handledOn", String.class))
                .contains("ElizaConsumer").doesNotContain("ElizaConnection").doesNotContain("EventThread");
    }

    @Test
    void aMessageIsDeliveredAtMostOnceEvenWhenTheServerSendsItAgain() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri() + "&bodyType=map").to("mock:once");
            }
        });
        MockEndpoint once = getMockEndpoint("mock:once");
        once.setResultWaitTime(30000);
        once.expectedMessageCount(1);
        once.setAssertPeriod(1500);
        sendAsOtherUser("only once");
        once.assertIsSatisfied();
        Map<?, ?> real = once.getReceivedExchanges().get(0).getMessage().getBody(Map.class);

        once.reset();
        once.expectedMessageCount(1);
        once.setAssertPeriod(1500);
        // the same message again, as an object and as a JSON string; then a new one, which must be the next delivered
        inject("messageBroadcast", new org.json.JSONObject(ElizaProtocol.toJson(castMap(real))));
        inject("messageBroadcast", ElizaProtocol.toJson(castMap(real)));
        inject("messageBroadcast",
                ElizaProtocol.toJson(fakeBroadcast(UUID.randomUUID().toString(), "marker, sent as a JSON string")));

        once.assertIsSatisfied();
        assertThat(once.getReceivedExchanges().get(0).getMessage().getBody(Map.class).get("text"))
                .isEqualTo("marker, sent as a JSON string");
    }

    @Test
    void errorEventsReachConsumersThatAskForThem() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri() + "&events=messageError,messageStreamError").to("mock:errors");
            }
        });
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.setResultWaitTime(30000);
        errors.expectedBodiesReceived("the server could not do it", "the model failed");
        errors.setAssertPeriod(1500);
        errors.expectedHeaderValuesReceivedInAnyOrder(ElizaConstants.EVENT, "messageError", "messageStreamError");

        // a messageError no sent message claims (none is pending), and a 1.7 stream error of this channel
        inject("messageError", new org.json.JSONObject(Map.of("error", "the server could not do it")));
        Map<String, Object> streamError = new HashMap<>();
        streamError.put("messageId", UUID.randomUUID().toString());
        streamError.put("channelId", ElizaIds.channelId(channel));
        streamError.put("agentId", UUID.randomUUID().toString());
        streamError.put("error", "the model failed");
        streamError.put("partialText", "Echo ech");
        inject("messageStreamError", ElizaProtocol.toJson(streamError));

        errors.assertIsSatisfied();
        assertThat(errors.getReceivedExchanges().get(1).getMessage().getHeader(ElizaConstants.CHANNEL_ID))
                .isEqualTo(ElizaIds.channelId(channel));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
