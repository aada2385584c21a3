package org.cameleliza.examples.slack;

import org.apache.camel.LoggingLevel;
import org.apache.camel.model.OnExceptionDefinition;

/**
 * The one retry policy of the bridge's error handlers: {@code bridge.redeliveries} more tries with a delay that
 * grows from {@code bridge.redeliveryDelay} up to {@code bridge.maximumRedeliveryDelay}, each retry logged at WARN.
 */
final class BridgeRedelivery {

    private BridgeRedelivery() {
    }

    static OnExceptionDefinition retried(OnExceptionDefinition onException) {
        return onException
                .maximumRedeliveries("{{bridge.redeliveries}}")
                .redeliveryDelay("{{bridge.redeliveryDelay}}")
                .useExponentialBackOff()
                .maximumRedeliveryDelay("{{bridge.maximumRedeliveryDelay}}")
                .retryAttemptedLogLevel(LoggingLevel.WARN);
    }
}
