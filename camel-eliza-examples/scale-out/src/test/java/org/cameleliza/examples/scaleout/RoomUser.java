package org.cameleliza.examples.scaleout;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.component.eliza.ElizaConstants;

/**
 * A user of the room, in the test's (or the demo's) JVM: asks the agent through an {@code eliza:} producer and waits
 * for the answer, so it knows the server's id of every agent message the instances must deliver. It is an entity of
 * its own (its CamelContext's name differs from the application's).
 */
final class RoomUser implements AutoCloseable {

    /** The agent's answer: the server's message id (what the instances deliver) and its text. */
    record Answer(String messageId, String text) {
    }

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final String endpoint;

    RoomUser(String url, String room, String agentId) {
        camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("room-user");
        camel.getComponent("eliza", ElizaComponent.class).getConfiguration().setUrl(url);
        camel.start();
        producer = camel.createProducerTemplate();
        endpoint = "eliza:" + room + "?agentId=" + agentId + "&requestReply=true";
    }

    /** Posts a question to the room and returns the agent's answer once the server stored it. */
    Answer ask(String question) {
        Exchange reply = producer.request(endpoint, e -> e.getMessage().setBody(question));
        if (reply.getException() != null) {
            throw new AssertionError("The agent did not answer '" + question + "'", reply.getException());
        }
        return new Answer(reply.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class),
                reply.getMessage().getBody(String.class));
    }

    @Override
    public void close() {
        camel.stop();
    }
}
