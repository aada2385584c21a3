package org.cameleliza.component.eliza.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.cameleliza.component.eliza.ElizaConfiguration;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElizaProtocolTest {

    private static final String CHANNEL = "22222222-2222-4222-8222-222222222222";
    private static final String SENDER = "11111111-1111-4111-8111-111111111111";
    private static final String AGENT = "b850bc30-45f8-0041-a00a-83df46d8555d";

    @Test
    void parsesObjectsAndJsonStringsAlike() throws Exception {
        String json = "{\"id\":\"m1\",\"roomId\":\"" + CHANNEL.toUpperCase() + "\",\"actions\":[\"REPLY\"],\"createdAt\":5}";
        Map<String, Object> fromString = ElizaProtocol.parse(json);
        Map<String, Object> fromObject = ElizaProtocol.parse(new JSONObject(json));
        assertThat(fromString).isEqualTo(fromObject);
        assertThat(fromString.get("actions")).isEqualTo(List.of("REPLY"));
        assertThat(ElizaProtocol.channelOf(fromString)).isEqualTo(CHANNEL);
    }

    @Test
    void channelIdWinsOverRoomId() {
        assertThat(ElizaProtocol.channelOf(Map.of("channelId", CHANNEL, "roomId", SENDER))).isEqualTo(CHANNEL);
        assertThat(ElizaProtocol.channelOf(Map.of("text", "no channel"))).isNull();
    }

    @Test
    void malformedPayloadsAreRefusedWithAReason() {
        assertThatThrownBy(() -> ElizaProtocol.parse("{not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Malformed JSON");
        assertThatThrownBy(() -> ElizaProtocol.parse(42)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Integer");
        assertThatThrownBy(() -> ElizaProtocol.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nothing");
    }

    @Test
    void sendPayloadCarriesBothServerIdsAndDmMetadataForTheAgent() throws Exception {
        Map<String, Object> payload = ElizaProtocol.sendPayload(new ElizaProtocol.Outgoing(CHANNEL, SENDER, "Camel", "hi",
                ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID, "c1", "camel", AGENT, List.of("https://x/y.png"),
                Map.of("isDm", false, "ticket", "T-1")));
        assertThat(payload).containsEntry("messageServerId", ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID)
                .containsEntry("serverId", ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID)
                .containsEntry("channelId", CHANNEL).containsEntry("senderId", SENDER).containsEntry("messageId", "c1");
        // the user's metadata is kept, but cannot undo what makes the agent a participant
        assertThat(payload.get("metadata"))
                .isEqualTo(Map.of("isDm", true, "channelType", "DM", "targetUserId", AGENT, "ticket", "T-1"));
        assertThat(payload.get("attachments")).isEqualTo(List.of("https://x/y.png"));

        JSONObject envelope = new JSONObject(ElizaProtocol.envelope(ElizaProtocol.SEND_MESSAGE, payload).text());
        assertThat(envelope.getInt("type")).isEqualTo(2);
        assertThat(envelope.getJSONObject("payload").getString("message")).isEqualTo("hi");
    }

    @Test
    void packetSizeIsTheSizeOfTheFrameSocketIoSends() {
        String text = "héllo \u2603 \uD83D\uDC2A \"quoted\" </tag>";
        ElizaProtocol.Json envelope = ElizaProtocol.envelope(ElizaProtocol.SEND_MESSAGE,
                ElizaProtocol.sendPayload(
                        new ElizaProtocol.Outgoing(CHANNEL, SENDER, null, text, CHANNEL, "c1", null, null, null, null)));
        // what the Socket.IO client's encoder writes for emit("message", envelope)
        String frame = "42" + new JSONArray().put("message").put(envelope);
        assertThat(frame).contains(envelope.text());
        assertThat(ElizaProtocol.packetSize("message", envelope))
                .isEqualTo(frame.getBytes(StandardCharsets.UTF_8).length);
        assertThat(ElizaProtocol.packetSize("message", envelope)).isGreaterThan(text.length());
        // the real org.json writes the pre-encoded text as it is: io.socket gets it, not a parsed copy
        assertThat(envelope.argument()).isSameAs(envelope);
    }

    @Test
    void aLoneSurrogateCountsAsTheQuestionMarkTheWebSocketSendsForIt() {
        assertThat(ElizaProtocol.utf8Length("a\uD83Db")).isEqualTo(3);
        assertThat(ElizaProtocol.utf8Length("\uD83D\uDC2A")).isEqualTo(4);
        assertThat(ElizaProtocol.utf8Length("é\u2603")).isEqualTo(5);
    }
}
