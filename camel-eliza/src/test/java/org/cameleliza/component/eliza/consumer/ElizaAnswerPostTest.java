package org.cameleliza.component.eliza.consumer;

import java.util.Map;

import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a participant's answer carries on either way: the route's entity as sender, the source loop prevention relies
 * on, and the message it answers in its metadata.
 */
class ElizaAnswerPostTest extends CamelTestSupport {

    private static final String AGENT = "b850bc30-45f8-0041-a00a-83df46d8555d";
    private static final String QUESTION = "e889e59c-b882-4cfc-ae51-cb39bc5a9414";
    private static final String SERVER = "00000000-0000-0000-0000-000000000000";

    private ElizaAnswerPost post(ElizaEndpoint endpoint) {
        return new ElizaAnswerPost(endpoint);
    }

    @Test
    @SuppressWarnings("unchecked")
    void overTheSocketTheAnswerNamesTheQuestionInItsMetadataAndGoesToTheRoomAsItIs() {
        ElizaEndpoint endpoint = context.getEndpoint("eliza:desk?reply=true&senderName=Desk&agentId=" + AGENT,
                ElizaEndpoint.class);
        ElizaOutgoingMessage message = post(endpoint).socketMessage(endpoint.getChannelId(), SERVER, QUESTION, "Yes");
        Map<String, Object> payload = (Map<String, Object>) ElizaProtocol.parse(message.envelope(SERVER).text())
                .get("payload");

        assertThat(payload).containsEntry("senderId", endpoint.getEntityId()).containsEntry("senderName", "Desk")
                .containsEntry("source", ElizaParticipant.SOURCE).containsEntry("message", "Yes")
                .containsEntry("channelId", endpoint.getChannelId()).containsEntry("messageServerId", SERVER)
                .doesNotContainKey("agentId");
        // no DM metadata even with an agentId: the answer goes to the room, it opens no direct-message channel
        assertThat((Map<String, Object>) payload.get("metadata")).containsExactly(Map.entry("inReplyTo", QUESTION));
    }

    @Test
    @SuppressWarnings("unchecked")
    void overRestTheAnswerIsStoredAsTheAnswerAndNamesTheQuestionInItsMetadataToo() {
        ElizaEndpoint endpoint = context.getEndpoint("eliza:desk?reply=true&replyVia=rest&senderName=Desk",
                ElizaEndpoint.class);
        Map<String, Object> request = post(endpoint).ingestPayload(endpoint.getChannelId(), SERVER, QUESTION, "Yes");

        assertThat(request).containsEntry("in_reply_to_message_id", QUESTION)
                .containsEntry("source_type", ElizaParticipant.SOURCE)
                .containsEntry("author_id", endpoint.getEntityId()).containsEntry("message_server_id", SERVER);
        assertThat((Map<String, Object>) request.get("metadata")).containsEntry("inReplyTo", QUESTION)
                .containsEntry("user_display_name", "Desk");
    }
}
