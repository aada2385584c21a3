package org.cameleliza.component.eliza.protocol;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The elizaOS server line a connection talks to, and what the component does differently because of it. Every line
 * takes the same messages from the component (it sends serverId and messageServerId both, and an entityId always);
 * they differ in what they answer: the REST routes of a channel's messages, the message server id endpoint, whether
 * an agent's turn ends with messageComplete, streaming, and the Socket.IO API key check. See docs/compatibility.md.
 * <p>
 * Known exactly when the server reports it (GET /api/system/version, every line from 1.2) or the user configures it
 * (the serverVersion option); otherwise inferred from the REST routes the server offers, as a range ("1.6 or later").
 */
public final class ElizaServerVersion {

    /** The option's value that asks the connection to find out. */
    static final String AUTO = "auto";
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?([-+.].*)?");

    /** The oldest and newest 1.x line the server may be (the same for a known version); 2.x and later count as 1.∞. */
    private final int lowest;
    private final int highest;
    private final String text;
    private final String source;

    private ElizaServerVersion(int lowest, int highest, String text, String source) {
        this.lowest = lowest;
        this.highest = highest;
        this.text = text;
        this.source = source;
    }

    /** A version as a user writes it ("1.6", "1.6.5") or the server reports it; null when it is not one. */
    public static ElizaServerVersion parse(String version, String source) {
        if (version == null) {
            return null;
        }
        Matcher m = VERSION.matcher(version.trim());
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
            return null;
        }
        int line = Integer.parseInt(m.group(1)) > 1 ? Integer.MAX_VALUE : Integer.parseInt(m.group(2));
        return new ElizaServerVersion(line, line, version.trim(), source);
    }

    /** The serverVersion option: auto (null here) or a version; a clear error for anything else. */
    public static ElizaServerVersion configured(String option) {
        if (option == null || AUTO.equalsIgnoreCase(option.trim())) {
            return null;
        }
        ElizaServerVersion version = parse(option, "configured");
        if (version == null || version.lowest == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Option serverVersion must be 'auto' or an elizaOS 1.x version such as 1.4"
                                               + " or 1.6.5, but was '" + option + "'");
        }
        return version;
    }

    /** A server that offers GET /api/messaging/message-server/current: 1.6 or later. */
    public static ElizaServerVersion withMessageServerEndpoint() {
        return new ElizaServerVersion(6, Integer.MAX_VALUE, "1.6 or later", "inferred: it offers /message-server/current");
    }

    /** A server without GET /api/messaging/message-server/current: 1.5 or earlier. */
    public static ElizaServerVersion withoutMessageServerEndpoint() {
        return new ElizaServerVersion(0, 5, "1.5 or earlier", "inferred: it has no /message-server/current");
    }

    /** What follows from the server's messageComplete event: it ends agent turns with it, so it is 1.4 or earlier. */
    public ElizaServerVersion sentMessageComplete() {
        if (highest > 4 && lowest <= 4) {
            return new ElizaServerVersion(lowest, 4, "1.4 or earlier", "inferred: it sends messageComplete");
        }
        return this;
    }

    private boolean isAtLeast(int line) {
        return lowest >= line;
    }

    private boolean isAtMost(int line) {
        return highest <= line;
    }

    /** Whether a channel's REST routes are /channels (1.6+) rather than /central-channels (1.5 and earlier). */
    public boolean hasChannelRoutes() {
        return isAtLeast(6);
    }

    /** Whether the server has GET /api/messaging/message-server/current (1.6+). */
    public boolean hasMessageServerEndpoint() {
        return isAtLeast(6);
    }

    /** Whether the server ends every agent turn with messageComplete (1.4 and earlier). */
    boolean endsTurnsWithMessageComplete() {
        return isAtMost(4);
    }

    /**
     * Whether the server's agents drop an answer once a newer message arrived in the room while they worked on it
     * (1.7+: "Response discarded - newer message being processed"), so that no message of an earlier turn follows the
     * next message's.
     */
    public boolean dropsSupersededAnswers() {
        return isAtLeast(7);
    }

    /** Whether an agent's answer may come as messageStreamChunk events before its messageBroadcast (1.7+). */
    boolean streamsReplies() {
        return isAtLeast(7);
    }

    /** Whether the server is of a line before 1.7, which streams no answers. */
    public boolean lacksStreamedReplies() {
        return isAtMost(6);
    }

    /**
     * Whether POST /api/messaging/channels/:id/messages takes transport http and sse, answering with the agent's answer
     * (1.7+); before, the server ignores it, stores the message and broadcasts it.
     */
    public boolean hasMessageTransports() {
        return isAtLeast(7);
    }

    /** Whether the server may be 1.7 or later: false only when it is known to be older. */
    public boolean mayHaveMessageTransports() {
        return highest >= 7;
    }

    /** Whether the Socket.IO handshake checks an API key (SERVER_API_KEY, 1.6+); before, only REST does. */
    boolean checksSocketApiKey() {
        return isAtLeast(6);
    }

    /** The version as reported or configured ("1.4.2"), or the inferred range ("1.5 or earlier"). */
    public String text() {
        return text;
    }

    /** One line for the log and the dev console: the version, how it is known, and what follows from it. */
    public String describe() {
        StringBuilder sb = new StringBuilder("elizaOS ").append(text).append(" (").append(source).append("): ");
        sb.append(hasChannelRoutes() ? "/channels REST routes" : "/central-channels REST routes");
        if (endsTurnsWithMessageComplete()) {
            sb.append(", messageComplete ends every agent turn");
        } else if (isAtLeast(5)) {
            sb.append(", no end-of-turn event (a request the agent does not answer waits for replyTimeout)");
        }
        if (streamsReplies()) {
            sb.append(", streamed replies");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
