package org.cameleliza.examples.kafka;

import java.io.File;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.cameleliza.component.eliza.ElizaConstants;

/**
 * Every message the agent posts in an Eliza room, published to a topic (key: the room's channel id, so a room's
 * messages stay in order on one partition).
 * <p>
 * At least once: the consumer remembers a message (its id in {@code bridge.seenMessagesFile}, its place in
 * {@code bridge.placeFile}) only once the record was written, and on start reads the room's history after the last
 * message it wrote, so what the agent posted while the application was down (or the write failed) is published on
 * the next start. A write that fails is retried until
 * Kafka takes it; meanwhile new messages wait in the consumer's bounded queue and, beyond it, on the Eliza server.
 * <p>
 * Properties: {@code eliza.agentId} (required), {@code bridge.room}, {@code bridge.agentMessagesTopic},
 * {@code bridge.seenMessagesFile}, {@code bridge.placeFile}.
 */
public class RoomToTopicRoute extends RouteBuilder {

    public static final String ROUTE_ID = "room-to-topic";

    @Override
    public void configure() {
        String seenFile = getContext().resolvePropertyPlaceholders(
                "{{bridge.seenMessagesFile:data/agent-messages-seen.dat}}");
        // durable, so that a restart picks up where the last run stopped (the default repository is in memory)
        bindToRegistry("agentMessagesSeen", FileIdempotentRepository.fileIdempotentRepository(new File(seenFile)));
        // where the last run stopped: the last agent message routed
        String placeFile = getContext().resolvePropertyPlaceholders(
                "{{bridge.placeFile:data/agent-messages-place.dat}}");
        bindToRegistry("agentMessagesPlace", FileStateRepository.fileStateRepository(new File(placeFile)));

        // tag::route[]
        // Never give up on a message while running: a message this route dropped would be lost, since the consumer
        // goes on with the next one and remembers that. Kafka down means waiting, with the attempts in the log. A
        // stopping application does not wait: the message fails, is not remembered, and the next start reads it back.
        onException(Exception.class)
                .maximumRedeliveries(-1)
                .redeliveryDelay(1000).useExponentialBackOff().backOffMultiplier(2).maximumRedeliveryDelay(30000)
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .getRedeliveryPolicyType().allowRedeliveryWhileStopping(false);

        from("eliza:{{bridge.room:lobby}}?agentId={{eliza.agentId}}&agentMessagesOnly=true"
                + "&idempotentRepository=#agentMessagesSeen&stateRepository=#agentMessagesPlace")
                .routeId(ROUTE_ID)
                .setHeader(KafkaConstants.KEY, header(ElizaConstants.CHANNEL_ID))
                .setHeader(BridgeHeaders.MESSAGE_ID, header(ElizaConstants.MESSAGE_ID))
                .setHeader(BridgeHeaders.CHANNEL_ID, header(ElizaConstants.CHANNEL_ID))
                .setHeader(BridgeHeaders.SENDER_ID, header(ElizaConstants.SENDER_ID))
                .process(exchange -> exchange.getMessage().setHeader(BridgeHeaders.RECOVERED, String.valueOf(
                        exchange.getMessage().getHeader(ElizaConstants.RECOVERED, false, Boolean.class))))
                .to("kafka:{{bridge.agentMessagesTopic:agent-messages}}");
        // end::route[]
    }
}
