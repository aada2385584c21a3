package org.cameleliza.examples.slack;

import java.util.Set;

import com.slack.api.model.Message;

/**
 * What the bridge needs to know about Slack messages: which ones a person wrote, and Slack's text escaping.
 */
public final class SlackText {

    /** Subtypes of messages people write; every other subtype is Slack's or an app's (joins, bots, topics...). */
    private static final Set<String> PERSON_SUBTYPES = Set.of("file_share", "thread_broadcast", "me_message");

    private SlackText() {
    }

    /**
     * Whether a person wrote the message. Messages of bots are never asked: the bridge's own answers are bot messages
     * in the same channel, and asking them would make the agent talk to itself without end.
     */
    public static boolean isFromPerson(Message message) {
        return message.getBotId() == null && message.getUser() != null
                && (message.getSubtype() == null || PERSON_SUBTYPES.contains(message.getSubtype()));
    }

    /** Whether the message has text to ask (a file shared without a comment has none). */
    public static boolean hasText(Message message) {
        return message.getText() != null && !message.getText().isBlank();
    }

    /** The text as the person typed it: Slack sends {@code &}, {@code <} and {@code >} escaped. */
    public static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** Text for Slack: {@code &}, {@code <} and {@code >} must be escaped, or Slack reads them as markup. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** An answer addressed to a person: a mention (so Slack notifies them), then the escaped text. */
    public static String addressedTo(String userId, String text) {
        return "<@" + userId + "> " + escape(text);
    }
}
