package org.cameleliza.component.eliza;

import org.apache.camel.ExchangePattern;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cameleliza.component.eliza.ElizaProducer.isRequestReply;

/**
 * Whether a message waits for the agent's answer: the requestReply option, the exchange pattern and whether the message
 * is for an agent. The rule alone, without a server (the ITs run it end to end).
 */
class ElizaProducerRequestReplyTest extends CamelTestSupport {

    private static final String AGENT = "b850bc30-45f8-0041-a00a-83df46d8555d";

    @Test
    void autoAsksAnAgentWhateverThePattern() {
        // a timer, a file or a Kafka record is InOnly: asking an agent returns its answer all the same
        assertThat(isRequestReply("auto", ExchangePattern.InOnly, AGENT)).isTrue();
        assertThat(isRequestReply("auto", ExchangePattern.InOut, AGENT)).isTrue();
    }

    @Test
    void autoWithoutAnAgentFollowsThePattern() {
        assertThat(isRequestReply("auto", ExchangePattern.InOnly, null)).isFalse();
        assertThat(isRequestReply("auto", ExchangePattern.InOut, null)).isTrue();
    }

    @Test
    void inOutFollowsThePatternAgentOrNot() {
        assertThat(isRequestReply("inOut", ExchangePattern.InOnly, AGENT)).isFalse();
        assertThat(isRequestReply("inOut", ExchangePattern.InOut, AGENT)).isTrue();
        assertThat(isRequestReply("inOut", ExchangePattern.InOnly, null)).isFalse();
        assertThat(isRequestReply("inOut", ExchangePattern.InOut, null)).isTrue();
    }

    @Test
    void trueAndFalseDecideAlone() {
        for (ExchangePattern pattern : ExchangePattern.values()) {
            for (String agent : new String[] { AGENT, null }) {
                assertThat(isRequestReply("true", pattern, agent)).as(pattern + ", agent " + agent).isTrue();
                assertThat(isRequestReply("false", pattern, agent)).as(pattern + ", agent " + agent).isFalse();
            }
        }
    }

    @Test
    void autoIsTheDefaultAndEveryValueIsAccepted() {
        assertThat(context.getEndpoint("eliza:rr-default", ElizaEndpoint.class).getConfiguration().getRequestReply())
                .isEqualTo("auto");
        for (String value : new String[] { "auto", "inOut", "true", "false" }) {
            assertThat(context.getEndpoint("eliza:rr-" + value + "?requestReply=" + value, ElizaEndpoint.class)
                    .getConfiguration().getRequestReply()).isEqualTo(value);
        }
    }
}
