package org.cameleliza.component.eliza.protocol;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The server events a consumer can receive, and the parsing of the {@code events} option.
 */
public final class ElizaEvents {

    public static final String MESSAGE_BROADCAST = "messageBroadcast";
    public static final String MESSAGE_COMPLETE = "messageComplete";
    public static final String CONTROL_MESSAGE = "controlMessage";
    public static final String MESSAGE_STREAM_CHUNK = "messageStreamChunk";
    public static final String MESSAGE_STREAM_ERROR = "messageStreamError";
    public static final String MESSAGE_DELETED = "messageDeleted";
    public static final String CHANNEL_CLEARED = "channelCleared";
    public static final String CHANNEL_DELETED = "channelDeleted";
    public static final String CHANNEL_UPDATED = "channelUpdated";
    public static final String MESSAGE_ERROR = "messageError";

    public static final String DEFAULT = MESSAGE_BROADCAST;

    /** The events that are scoped to a channel (they carry channelId or roomId). */
    public static final List<String> CHANNEL_EVENTS = List.of(MESSAGE_BROADCAST, MESSAGE_COMPLETE, CONTROL_MESSAGE,
            MESSAGE_STREAM_CHUNK, MESSAGE_STREAM_ERROR, MESSAGE_DELETED, CHANNEL_CLEARED, CHANNEL_DELETED,
            CHANNEL_UPDATED);

    private ElizaEvents() {
    }

    /** Events that carry a message of a sender: the own-message and agent-only filters apply to these. */
    public static boolean hasSender(String event) {
        return MESSAGE_BROADCAST.equals(event) || MESSAGE_STREAM_CHUNK.equals(event)
                || MESSAGE_STREAM_ERROR.equals(event);
    }

    /**
     * Parses the events option.
     *
     * @throws IllegalArgumentException naming the unknown event and the known ones
     */
    public static Set<String> parse(String events) {
        if (events == null || events.isBlank()) {
            throw new IllegalArgumentException("Option events must name at least one event, such as " + DEFAULT);
        }
        Set<String> result = new LinkedHashSet<>();
        for (String event : events.split(",")) {
            String name = event.trim();
            if (!CHANNEL_EVENTS.contains(name) && !MESSAGE_ERROR.equals(name)) {
                throw new IllegalArgumentException("Option events has an unknown event '" + name + "'; known events: "
                                                   + known());
            }
            result.add(name);
        }
        return result;
    }

    private static String known() {
        return String.join(", ", CHANNEL_EVENTS) + ", " + MESSAGE_ERROR;
    }
}
