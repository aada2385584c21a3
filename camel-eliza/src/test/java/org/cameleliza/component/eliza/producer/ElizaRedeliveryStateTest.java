package org.cameleliza.component.eliza.producer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ElizaRedeliveryStateTest {

    private static final String A = "eliza://a";
    private static final String B = "eliza://b";

    private final CamelContext context = new DefaultCamelContext();

    private Exchange exchange() {
        return new DefaultExchange(context);
    }

    private static void redeliver(Exchange exchange) {
        exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, ElizaRedeliveryState.redeliveryCounter(exchange) + 1);
    }

    /** The first attempt of a send to {@code endpoint} fails, the server may have stored it. */
    private static ElizaRedeliveryState failUnconfirmed(Exchange exchange, String endpoint) {
        int attempt = ElizaRedeliveryState.redeliveryCounter(exchange);
        ElizaRedeliveryState earlier = ElizaRedeliveryState.forRedelivery(exchange, endpoint, attempt);
        ElizaRedeliveryState state = ElizaRedeliveryState.afterFailure(earlier, exchange, attempt, true, 1000L,
                "id-" + attempt, null);
        ElizaRedeliveryState.store(exchange, endpoint, state);
        return state;
    }

    @Test
    void aRedeliveryOfTheSendTakesUpItsState() {
        Exchange exchange = exchange();
        failUnconfirmed(exchange, A);

        redeliver(exchange);
        ElizaRedeliveryState state = ElizaRedeliveryState.forRedelivery(exchange, A, 1);

        assertThat(state).isNotNull();
        assertThat(state.unconfirmedId()).isEqualTo("id-0");
        assertThat(state.unconfirmedSince()).isEqualTo(1000L);

        // the redelivery fails too: the first unconfirmed attempt is what counts, under the new counter
        ElizaRedeliveryState again = ElizaRedeliveryState.afterFailure(state, exchange, 1, true, 2000L, "id-0", "m-1");
        assertThat(again.unconfirmedSince()).isEqualTo(1000L);
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(again.requestMessageId()).isEqualTo("m-1");
    }

    @Test
    void anotherEndpointOrAnotherSendOfTheSameEndpointStartsFresh() {
        Exchange exchange = exchange();
        failUnconfirmed(exchange, A);

        // a fallback to another endpoint, even during a redelivery
        redeliver(exchange);
        assertThat(ElizaRedeliveryState.forRedelivery(exchange, B, 1)).isNull();

        // a send of the same endpoint that Camel does not redeliver (onException, a loop): the state is dropped
        Exchange other = exchange();
        failUnconfirmed(other, A);
        assertThat(ElizaRedeliveryState.forRedelivery(other, A, 0)).isNull();
        assertThat(other.getProperty(ElizaRedeliveryState.PROPERTY)).isNull();
    }

    @Test
    void theExchangesOfASplitStartFreshAndDoNotShareTheirState() {
        Exchange parent = exchange();
        failUnconfirmed(parent, A);
        redeliver(parent);

        Exchange child = parent.copy();
        assertThat(ElizaRedeliveryState.forRedelivery(child, A, 1)).as("another exchange id").isNull();
        failUnconfirmed(child, B);

        // what the child wrote is its own; the parent's state is still there for its redelivery
        assertThat(ElizaRedeliveryState.forRedelivery(parent, B, 1)).isNull();
        assertThat(ElizaRedeliveryState.forRedelivery(parent, A, 1)).isNotNull();
    }

    @Test
    void aFailureThatLeavesNothingToCheckLeavesNoState() {
        Exchange exchange = exchange();
        assertThat(ElizaRedeliveryState.afterFailure(null, exchange, 0, false, 1000L, "id", null)).isNull();

        failUnconfirmed(exchange, A);
        ElizaRedeliveryState.store(exchange, A, null);
        assertThat(exchange.getProperty(ElizaRedeliveryState.PROPERTY)).isNull();
    }
}
