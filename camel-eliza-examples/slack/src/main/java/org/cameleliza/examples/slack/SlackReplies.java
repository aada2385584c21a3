package org.cameleliza.examples.slack;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * The bridge's messages to the person who wrote in Slack: the agent's answer, or why there is none.
 */
public final class SlackReplies {

    /** Exchange properties the route keeps: the question as asked, and the Slack user id of who asked it. */
    public static final String QUESTION = "slackQuestion";
    public static final String ASKED_BY = "slackUser";

    private SlackReplies() {
    }

    public static String answer(@ExchangeProperty(ASKED_BY) String userId, @Body String answer) {
        return SlackText.addressedTo(userId, answer);
    }

    public static String textOnly(@ExchangeProperty(ASKED_BY) String userId) {
        return SlackText.addressedTo(userId, "I can only answer text messages.");
    }

    public static String noAnswer(@ExchangeProperty(ASKED_BY) String userId) {
        return SlackText.addressedTo(userId, "Sorry, I cannot answer right now. Please ask again later.");
    }

    public static String cannotAsk(@ExchangeProperty(ASKED_BY) String userId) {
        return SlackText.addressedTo(userId, "Sorry, I cannot take this message.");
    }
}
