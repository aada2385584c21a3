package org.cameleliza.examples.slack;

import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything the application logs while it is open, at the levels log4j2.properties ships with, stack traces
 * included: for the tests that check what the logs say, and that they never hold a credential.
 */
final class LogCapture implements AutoCloseable {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private final StringWriter out = new StringWriter();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final WriterAppender appender;

    private LogCapture() {
        appender = WriterAppender.newBuilder()
                .setName("capture-" + COUNT.incrementAndGet())
                .setTarget(out)
                .setLayout(PatternLayout.newBuilder().withPattern("%-5p %c - %m%n%ex").build())
                .build();
        appender.start();
        Configuration configuration = context.getConfiguration();
        configuration.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    static LogCapture start() {
        return new LogCapture();
    }

    String text() {
        return out.toString(); // StringWriter is thread safe
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
