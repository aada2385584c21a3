package org.cameleliza.component.eliza.producer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.component.eliza.ElizaInvalidMessageException;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a producer sends: input headers are read and removed, output headers of earlier steps are never read.
 */
class ElizaMessageBuilderTest extends CamelTestSupport {

    private ElizaEndpoint endpoint() {
        return context.getEndpoint("eliza:room?senderName=Camel Bot", ElizaEndpoint.class);
    }

    private Exchange exchange(Map<String, Object> headers) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody("hello");
        exchange.getMessage().setHeaders(new HashMap<>(headers));
        return exchange;
    }

    private static String json(ElizaOutgoingMessage message) {
        return message.envelope(ElizaIds.channelId("unused")).text();
    }

    @Test
    void theOutputHeadersOfAnEarlierSendOrReplyAreNeverRead() throws Exception {
        Exchange exchange = exchange(Map.of(
                ElizaConstants.CLIENT_MESSAGE_ID, "id-of-the-earlier-send",
                ElizaConstants.SENDER_NAME, "The Agent",
                ElizaConstants.ATTACHMENTS, List.of("https://example.com/of-the-reply.png")));

        ElizaOutgoingMessage message = ElizaMessageBuilder.build(endpoint(), exchange, null);

        assertThat(message.clientMessageId()).isNotEqualTo("id-of-the-earlier-send");
        assertThat(message.senderName()).isEqualTo("Camel Bot");
        assertThat(json(message)).doesNotContain("of-the-reply.png");
        // not ours to remove: they describe what an earlier step did
        assertThat(exchange.getMessage().getHeaders()).containsKeys(ElizaConstants.CLIENT_MESSAGE_ID,
                ElizaConstants.SENDER_NAME, ElizaConstants.ATTACHMENTS);
    }

    @Test
    void theInputHeadersOverrideTheEndpointAndAreRemoved() throws Exception {
        Exchange exchange = exchange(Map.of(
                ElizaConstants.OVERRIDE_CLIENT_MESSAGE_ID, "my-id",
                ElizaConstants.OVERRIDE_SENDER_NAME, "Ops",
                ElizaConstants.OVERRIDE_ATTACHMENTS, List.of("https://example.com/mine.png"),
                ElizaConstants.CHANNEL, "elsewhere",
                ElizaConstants.METADATA, Map.of("ticket", "T-7")));

        ElizaOutgoingMessage message = ElizaMessageBuilder.build(endpoint(), exchange, null);

        assertThat(message.clientMessageId()).isEqualTo("my-id");
        assertThat(message.senderName()).isEqualTo("Ops");
        assertThat(message.channelId()).isEqualTo(ElizaIds.channelId("elsewhere"));
        assertThat(json(message)).contains("https://example.com/mine.png").contains("T-7");
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKeys(ElizaMessageBuilder.INPUT_HEADERS
                .toArray(String[]::new));
    }

    @Test
    void theConversationKeyIsKeptWithTheMessageForTheCompletedExchange() throws Exception {
        String agent = "b850bc30-45f8-0041-a00a-83df46d8555d";
        Exchange exchange = exchange(Map.of(ElizaConstants.CONVERSATION_KEY, "ticket-7", ElizaConstants.AGENT_ID, agent));

        ElizaOutgoingMessage message = ElizaMessageBuilder.build(endpoint(), exchange, null);

        // read and removed as every input; the producer sets it again on the exchange it completes
        assertThat(message.conversationKey()).isEqualTo("ticket-7");
        assertThat(message.channelId())
                .isEqualTo(ElizaIds.conversationChannelId(ElizaIds.channelId("room"), agent, "ticket-7"));
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey(ElizaConstants.CONVERSATION_KEY);
        assertThat(ElizaMessageBuilder.build(endpoint(), exchange(Map.of()), null).conversationKey()).isNull();
    }

    @Test
    void aConversationKeyWithoutAnAgentSaysWhereItMayComeFrom() {
        Exchange exchange = exchange(Map.of(ElizaConstants.CONVERSATION_KEY, "ticket-7"));

        assertThatThrownBy(() -> ElizaMessageBuilder.build(endpoint(), exchange, null))
                .isInstanceOf(ElizaInvalidMessageException.class)
                .hasMessageContaining("needs an agent")
                .hasMessageContaining("remove the header to post outside that conversation");
    }

    @Test
    void aRedeliveryKeepsTheIdOfTheAttemptItRepeats() throws Exception {
        Exchange exchange = exchange(Map.of(ElizaConstants.OVERRIDE_CLIENT_MESSAGE_ID, "my-id"));
        assertThat(ElizaMessageBuilder.build(endpoint(), exchange, "first-attempt").clientMessageId())
                .isEqualTo("first-attempt");
    }

    @Test
    void inputHeadersAreRemovedAlsoWhenTheMessageIsRefused() {
        Exchange exchange = exchange(Map.of(ElizaConstants.OVERRIDE_ATTACHMENTS, List.of(42),
                ElizaConstants.OVERRIDE_SENDER_NAME, "Ops"));

        assertThatThrownBy(() -> ElizaMessageBuilder.build(endpoint(), exchange, null))
                .isInstanceOf(ElizaInvalidMessageException.class)
                .hasMessageContaining("Header CamelElizaOverrideAttachments must hold URLs (strings) or maps");
        assertThat(exchange.getMessage().getHeaders()).isEmpty();
    }
}
