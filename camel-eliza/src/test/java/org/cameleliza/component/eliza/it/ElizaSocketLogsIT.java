package org.cameleliza.component.eliza.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Socket.IO's client logs every packet it encodes at FINE through java.util.logging, the CONNECT packet with the
 * handshake's credentials among them: turned up to FINEST, its loggers show what happened, never a credential.
 */
class ElizaSocketLogsIT extends CamelTestSupport {

    private static final String KEY = "log-key-" + UUID.randomUUID();
    private static final String TOKEN = "log-token-" + UUID.randomUUID();
    private static final List<String> LOGGERS = List.of(
            "io.socket", "io.socket.client.IO", "io.socket.client.Manager", "io.socket.client.Socket",
            "io.socket.engineio.client.Socket", "io.socket.engineio.client.transports.Polling",
            "io.socket.engineio.client.transports.PollingXHR", "io.socket.engineio.client.transports.WebSocket",
            "io.socket.parser.IOParser");

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> b.apiKey(KEY));

    @Test
    void noCredentialInSocketIoLogsAtFinest() throws Exception {
        List<String> captured = new ArrayList<>();
        SimpleFormatter formatter = new SimpleFormatter();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (captured) {
                    captured.add(record.getLoggerName() + ": " + formatter.formatMessage(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Map<Logger, Level> levels = new HashMap<>();
        List<Logger> loggers = new ArrayList<>();
        for (String name : LOGGERS) {
            Logger logger = Logger.getLogger(name);
            loggers.add(logger);
            levels.put(logger, logger.getLevel());
            logger.setLevel(Level.FINEST);
        }
        // on the parent: every io.socket logger's records reach it, after their own logger's filter
        Logger parent = loggers.get(0);
        parent.addHandler(capture);
        try {
            String uri = "eliza:socket-logs?url=" + eliza.url() + "&apiKey=" + KEY + "&authToken=" + TOKEN;
            Exchange sent = template.send(uri, e -> e.getMessage().setBody("hello with credentials"));
            assertThat(sent.getException()).isNull();
        } finally {
            parent.removeHandler(capture);
            levels.forEach(Logger::setLevel);
        }
        synchronized (captured) {
            // the CONNECT packet was logged: this test sees what a credential would be in
            assertThat(captured).anyMatch(line -> line.startsWith("io.socket.parser.IOParser") && line.contains("entityId"));
            assertThat(captured).noneMatch(line -> line.contains(KEY)).noneMatch(line -> line.contains(TOKEN));
        }
    }
}
