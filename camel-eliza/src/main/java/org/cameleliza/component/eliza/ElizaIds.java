package org.cameleliza.component.eliza;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Ids in elizaOS are UUIDs. This class validates them and maps names to them deterministically.
 * <p>
 * A channel name that is not a UUID is mapped to {@code UUID.nameUUIDFromBytes("camel-eliza:channel:" + name)} (a
 * version 3, MD5 name-based UUID), so {@code eliza:support} is the same channel in every application and after every
 * restart.
 */
public final class ElizaIds {

    private static final Pattern UUID_PATTERN
            = Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final String CHANNEL_NAMESPACE = "camel-eliza:channel:";
    private static final String ENTITY_NAMESPACE = "camel-eliza:entity:";
    private static final String CONVERSATION_NAMESPACE = "camel-eliza:conversation:";

    private ElizaIds() {
    }

    public static boolean isUuid(String value) {
        return value != null && UUID_PATTERN.matcher(value).matches();
    }

    /**
     * The channel id for a channel name: the name itself (lower-cased) if it is a UUID, else its name-based UUID.
     */
    public static String channelId(String channel) {
        if (channel == null || channel.isBlank()) {
            throw new IllegalArgumentException("The channel must not be empty: use eliza:<channel name or UUID>");
        }
        if (isUuid(channel)) {
            return channel.toLowerCase();
        }
        return nameBased(CHANNEL_NAMESPACE + channel);
    }

    /**
     * The entity id used when none is configured: stable for a given CamelContext name and sender name.
     */
    public static String defaultEntityId(String camelContextName, String senderName) {
        return nameBased(ENTITY_NAMESPACE + camelContextName + ":" + senderName);
    }

    /**
     * The channel of a conversation: stable for a base channel, an agent and a conversation key, and distinct for each
     * of them, so each external conversation has its own history and memory with the agent.
     */
    public static String conversationChannelId(String baseChannelId, String agentId, String conversationKey) {
        return nameBased(CONVERSATION_NAMESPACE + baseChannelId + ":" + agentId + ":" + conversationKey);
    }

    /**
     * Checks that an option holds a UUID; returns it lower-cased, or null when the value is null.
     *
     * @throws IllegalArgumentException naming the option when the value is not a UUID
     */
    public static String requireUuid(String value, String option) {
        return requireUuid(value, "Option", option);
    }

    /**
     * Checks that a value holds a UUID; {@code kind} and {@code name} say where it came from ("Header", "CamelEliza...").
     */
    public static String requireUuid(String value, String kind, String name) {
        if (value == null) {
            return null;
        }
        if (!isUuid(value)) {
            throw new IllegalArgumentException(
                    kind + " " + name + " must be a UUID (like 00000000-0000-0000-0000-000000000000), but was: " + value);
        }
        return value.toLowerCase();
    }

    private static String nameBased(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
