package org.cameleliza.component.eliza.connection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Filter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.json.JSONObject;

/**
 * Masks credentials in what the Socket.IO client logs. It logs every packet it encodes, sends and receives at FINE
 * through java.util.logging, and the CONNECT packet carries the handshake's auth payload (apiKey, token): whoever turns
 * those loggers up (or bridges JUL to SLF4J at DEBUG) would write the credentials to a log. A {@link Filter} on each of
 * its loggers sees every record logged there before any handler, at every level, and rewrites the message of one that
 * holds a credential of a live connection. Masked rather than dropped: the record still says what happened.
 * <p>
 * A JUL filter applies only to the logger a record is logged on, so each of the client's loggers gets one; the loggers
 * are held here, so that the LogManager cannot forget them (and their filter) before the client's classes load.
 */
public final class ElizaSocketLogMask implements Filter {

    static final String MASK = "xxxxxx";
    /** Every JUL logger of socket.io-client 2.x and engine.io-client 2.x (one per class that logs). */
    static final List<String> LOGGER_NAMES = List.of(
            "io.socket.client.IO", "io.socket.client.Manager", "io.socket.client.Socket",
            "io.socket.engineio.client.Socket", "io.socket.engineio.client.transports.Polling",
            "io.socket.engineio.client.transports.PollingXHR", "io.socket.engineio.client.transports.WebSocket",
            "io.socket.parser.IOParser", "io.socket.parser.Binary", "io.socket.hasbinary.HasBinary",
            "io.socket.thread.EventThread");

    private static final List<Logger> LOGGERS = new ArrayList<>();
    /** The credentials each handshake sends now, by handshake. */
    private static final Map<Object, Collection<String>> SECRETS = new ConcurrentHashMap<>();

    static {
        for (String name : LOGGER_NAMES) {
            Logger logger = Logger.getLogger(name);
            logger.setFilter(new ElizaSocketLogMask(logger.getFilter()));
            LOGGERS.add(logger);
        }
    }

    /** A filter the user had set before: still asked, after the masking. */
    private final Filter previous;
    private final Formatter formatter = new SimpleFormatter();

    private ElizaSocketLogMask(Filter previous) {
        this.previous = previous;
    }

    /** The credentials {@code owner} sends from now on (replacing what it sent before); installs the filters. */
    static void register(Object owner, Collection<String> secrets) {
        List<String> values = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                values.add(secret);
                // as the packet's JSON spells it (org.json escapes '/' after '<', quotes, control characters)
                String quoted = JSONObject.quote(secret);
                values.add(quoted.substring(1, quoted.length() - 1));
            }
        }
        if (values.isEmpty()) {
            SECRETS.remove(owner);
        } else {
            SECRETS.put(owner, values);
        }
    }

    static void unregister(Object owner) {
        SECRETS.remove(owner);
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!SECRETS.isEmpty() && record.getMessage() != null) {
            String text = formatter.formatMessage(record);
            String masked = mask(text);
            if (!masked.equals(text)) {
                record.setMessage(masked);
                record.setParameters(null);
                record.setResourceBundle(null);
            }
        }
        return previous == null || previous.isLoggable(record);
    }

    static String mask(String text) {
        String masked = text;
        for (Collection<String> values : SECRETS.values()) {
            for (String secret : values) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }
}
