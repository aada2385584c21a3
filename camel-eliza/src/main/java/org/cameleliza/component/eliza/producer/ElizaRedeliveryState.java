package org.cameleliza.component.eliza.producer;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Exchange;

/**
 * What a producer keeps from a failed attempt of a send for Camel's redelivery of that very send: since when its
 * outcome is unknown and under which client message id (the redelivery asks the server before sending again, with the
 * same id), and the server's id of a request it stored (the redelivery waits for the answer instead of asking again).
 * <p>
 * Kept in the exchange property {@link #PROPERTY}: Camel's redelivery restores the message as it was before the failed
 * attempt, but keeps the exchange's properties. The property holds an unmodifiable map from the endpoint (its URI, as
 * Camel shows it: secrets masked) to the state of its last attempt, so that what one endpoint left never reaches
 * another endpoint's send (a fallback to another agent in onException). The map is replaced, never changed: a split
 * or a multicast copies the properties, and its exchanges must not write into each other's.
 * <p>
 * A state is taken up only by a redelivery of the attempt that left it: the same exchange (a copy made by a split
 * has an id of its own) and a redelivery counter higher than that attempt's (Camel's error handler counts
 * {@link Exchange#REDELIVERY_COUNTER} up before each redelivery; a fallback in onException, a loop or another
 * {@code .to} of the same endpoint run without counting it up). Any other send starts fresh and drops it.
 *
 * @param exchangeId       the exchange of the attempt
 * @param attempt          the redelivery counter of the attempt (0 for the first)
 * @param unconfirmedSince when the first attempt whose outcome is unknown started, null when none was
 * @param unconfirmedId    the client message id of that attempt
 * @param requestMessageId the server's id of the question of a request-reply exchange it stored, null when none
 */
public record ElizaRedeliveryState(
        String exchangeId, int attempt, Long unconfirmedSince, String unconfirmedId, String requestMessageId) {

    /** The exchange property holding the states, by endpoint. */
    public static final String PROPERTY = "CamelElizaRedeliveryState";

    /** Camel's redelivery counter of the exchange: 0 before the first redelivery. */
    public static int redeliveryCounter(Exchange exchange) {
        Integer counter = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        return counter == null ? 0 : counter;
    }

    /**
     * The state an earlier attempt of this send left, when Camel redelivers it now; else null, and a state the
     * endpoint left for another send is dropped.
     */
    public static ElizaRedeliveryState forRedelivery(Exchange exchange, String endpointKey, int attempt) {
        ElizaRedeliveryState state = states(exchange).get(endpointKey);
        if (state == null) {
            return null;
        }
        if (state.exchangeId().equals(exchange.getExchangeId()) && attempt > state.attempt()) {
            return state;
        }
        store(exchange, endpointKey, null);
        return null;
    }

    /**
     * What a failed attempt leaves for its redelivery: the earlier attempts' state carried on, and what this attempt
     * adds; null when a redelivery needs nothing (the send failed before the server could store the message).
     *
     * @param earlier          the state this attempt started from, or null
     * @param outcomeUnknown   whether the server may have stored the message (no ack came)
     * @param startedAt        when the attempt started
     * @param clientMessageId  the client message id the attempt sent
     * @param requestMessageId the server's id of the question, when it acknowledged one; else null
     */
    public static ElizaRedeliveryState afterFailure(
            ElizaRedeliveryState earlier, Exchange exchange, int attempt, boolean outcomeUnknown, long startedAt,
            String clientMessageId, String requestMessageId) {
        Long since = earlier != null ? earlier.unconfirmedSince() : null;
        String unconfirmedId = earlier != null ? earlier.unconfirmedId() : null;
        if (since == null && outcomeUnknown) {
            since = startedAt;
            unconfirmedId = clientMessageId;
        }
        String asked = earlier != null && earlier.requestMessageId() != null ? earlier.requestMessageId() : requestMessageId;
        if (since == null && asked == null) {
            return null;
        }
        return new ElizaRedeliveryState(exchange.getExchangeId(), attempt, since, unconfirmedId, asked);
    }

    /** Sets (or, with null, removes) the endpoint's state, in a new map: the old one may be shared with copies. */
    public static void store(Exchange exchange, String endpointKey, ElizaRedeliveryState state) {
        Map<String, ElizaRedeliveryState> current = states(exchange);
        if (state == null && !current.containsKey(endpointKey)) {
            return;
        }
        Map<String, ElizaRedeliveryState> next = new HashMap<>(current);
        if (state == null) {
            next.remove(endpointKey);
        } else {
            next.put(endpointKey, state);
        }
        if (next.isEmpty()) {
            exchange.removeProperty(PROPERTY);
        } else {
            exchange.setProperty(PROPERTY, Map.copyOf(next));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ElizaRedeliveryState> states(Exchange exchange) {
        Object states = exchange.getProperty(PROPERTY);
        return states instanceof Map ? (Map<String, ElizaRedeliveryState>) states : Map.of();
    }
}
