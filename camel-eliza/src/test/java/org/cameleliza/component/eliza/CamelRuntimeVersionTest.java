package org.cameleliza.component.eliza;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves which Camel the tests ran on: camel-eliza-compat-tests runs this suite on the newest supported Camel, with
 * the component compiled against the oldest.
 */
class CamelRuntimeVersionTest {

    @Test
    void testsRunOnTheExpectedCamelVersion() throws Exception {
        String expected = System.getProperty("eliza.expectedCamelVersion");
        assertThat(expected).as("system property eliza.expectedCamelVersion set by the build").isNotBlank();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            assertThat(context.getVersion()).isEqualTo(expected);
        }
    }
}
