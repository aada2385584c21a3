package org.cameleliza.examples.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.cameleliza.component.eliza.ElizaConstants;

/**
 * The desk's replies the server acknowledged, for the summary and the test: the acknowledgement of a one-way post
 * names the channel the message was stored in and its id there.
 */
public class DeskLog {

    /** One reply file posted into a customer's conversation. */
    public record Delivery(String file, String customer, String channelId, String messageId, String text) {
    }

    private final List<Delivery> deliveries = new ArrayList<>();

    @Handler
    public synchronized void delivered(Exchange exchange) {
        deliveries.add(new Delivery(exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class),
                exchange.getMessage().getHeader("customer", String.class),
                exchange.getMessage().getHeader(ElizaConstants.CHANNEL_ID, String.class),
                exchange.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class),
                // a one-way post leaves the body as it was: the reply sent
                exchange.getMessage().getBody(String.class)));
    }

    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The delivery of that reply file, if it was posted. */
    public synchronized Optional<Delivery> delivery(String file) {
        return deliveries.stream().filter(d -> d.file().equals(file)).findFirst();
    }
}
