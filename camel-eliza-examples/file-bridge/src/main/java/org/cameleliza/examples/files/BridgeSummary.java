package org.cameleliza.examples.files;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.cameleliza.component.eliza.ElizaConstants;

/** What the bridge answered, for the summary it prints and for its test. */
public class BridgeSummary {

    /** One answered question file: its name, the agent's answer, and the channel of its conversation. */
    public record Answer(String file, String answer, String conversationChannelId) {
    }

    private final List<Answer> answers = new ArrayList<>();

    @Handler
    public synchronized void answered(Exchange exchange) {
        answers.add(new Answer(exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class),
                exchange.getMessage().getBody(String.class),
                exchange.getMessage().getHeader(ElizaConstants.CHANNEL_ID, String.class)));
    }

    public synchronized List<Answer> answers() {
        return List.copyOf(answers);
    }
}
