package org.cameleliza.component.eliza.consumer;

/**
 * Where a consumer stands in its channel: the server's creation time and id of the last message it routed, kept in
 * the consumer's {@code StateRepository} as {@code <createdAt>:<messageId>}. A consumer that starts again reads the
 * channel's history from there on; the id tells the message itself from others of the same millisecond.
 *
 * @param createdAt the message's creation time on the server, in milliseconds since the epoch
 * @param messageId the server's id of the message, or null for a place that is no message (a first start's)
 */
public record ElizaWatermark(long createdAt, String messageId) {

    /** The stored form, or null for no watermark. Throws {@link IllegalArgumentException} for a malformed one. */
    public static ElizaWatermark parse(String stored) {
        if (stored == null || stored.isBlank()) {
            return null;
        }
        int colon = stored.indexOf(':');
        try {
            long createdAt = Long.parseLong(colon < 0 ? stored.trim() : stored.substring(0, colon).trim());
            String id = colon < 0 ? null : stored.substring(colon + 1).trim();
            return new ElizaWatermark(createdAt, id == null || id.isEmpty() ? null : id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not an Eliza consumer watermark (<createdAt>:<messageId>): " + stored, e);
        }
    }

    /** The form kept in the state repository. */
    public String format() {
        return createdAt + ":" + (messageId != null ? messageId : "");
    }

    /** Whether this place is after {@code other} (null: no place yet). */
    public boolean isAfter(ElizaWatermark other) {
        return other == null || createdAt > other.createdAt;
    }
}
