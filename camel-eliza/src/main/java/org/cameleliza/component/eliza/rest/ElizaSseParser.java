package org.cameleliza.component.eliza.rest;

import java.util.function.BiConsumer;

/**
 * Server-sent events, line by line, as the HTML standard parses them: {@code event:} names the event (message when
 * none does), {@code data:} lines are its data (several joined with a newline), a blank line dispatches it, a line
 * starting with a colon is a comment; one space after the colon is dropped, a trailing carriage return too. Lines of
 * other fields (id, retry) are ignored. Pure: one instance per stream, one thread.
 */
public final class ElizaSseParser {

    private final BiConsumer<String, String> onEvent;
    private String event;
    private StringBuilder data;

    /** @param onEvent called with the event's name and its data for each event dispatched */
    public ElizaSseParser(BiConsumer<String, String> onEvent) {
        this.onEvent = onEvent;
    }

    /** One line of the stream, without its line feed. */
    public void line(String line) {
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if ("event".equals(field)) {
            event = value;
        } else if ("data".equals(field)) {
            if (data == null) {
                data = new StringBuilder(value);
            } else {
                data.append('\n').append(value);
            }
        }
    }

    /** Whether an event was begun (a field read) but not dispatched: the stream ended in the middle of it. */
    public boolean inEvent() {
        return data != null || event != null;
    }

    private void dispatch() {
        if (data != null) {
            onEvent.accept(event == null || event.isEmpty() ? "message" : event, data.toString());
        }
        // an event without data is not dispatched, and its name does not carry over
        event = null;
        data = null;
    }
}
