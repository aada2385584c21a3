package org.cameleliza.component.eliza.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;

/** A consumer's exception handler that keeps what it was told, for a test to assert on. */
final class RecordingExceptionHandler implements ExceptionHandler {
    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @Override
    public void handleException(Throwable exception) {
        errors.add(exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        errors.add(exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        errors.add(exception);
    }
}
