package org.cameleliza.component.eliza.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.socket.parser.DecodingException;
import io.socket.parser.Packet;
import io.socket.parser.Parser;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElizaPacketDecoderTest {

    private final AtomicBoolean listening = new AtomicBoolean(true);
    private final List<Packet<?>> decoded = new ArrayList<>();
    private final ElizaPacketDecoder decoder = new ElizaPacketDecoder(listening::get);

    ElizaPacketDecoderTest() {
        decoder.onDecoded(decoded::add);
    }

    @Test
    void eventsOfTheRootNamespaceArriveAsMapsWithoutOrgJson() throws Exception {
        decoder.add("2[\"messageAck\",{\"clientMessageId\":\"c1\",\"messageId\":\"m1\",\"n\":5,\"list\":[1,\"two\"],"
                    + "\"none\":null}]");

        assertThat(decoded).hasSize(1);
        Packet<?> packet = decoded.get(0);
        assertThat(packet.type).isEqualTo(Parser.EVENT);
        assertThat(packet.nsp).isEqualTo("/");
        assertThat(packet.id).isEqualTo(-1);
        JSONArray data = (JSONArray) packet.data;
        assertThat(data.getString(0)).isEqualTo("messageAck");
        assertThat(data.get(1)).isInstanceOf(Map.class);
        assertThat(ElizaProtocol.parse(data.get(1))).containsEntry("clientMessageId", "c1").containsEntry("n", 5)
                .containsEntry("list", List.of(1, "two")).containsEntry("none", null);
    }

    @Test
    void channelEventsNobodyListensToAreDroppedOtherEventsAreNot() {
        listening.set(false);
        decoder.add("2[\"messageBroadcast\",{\"text\":\"an echo of our own message\"}]");
        decoder.add("2[\"messageAck\",{\"clientMessageId\":\"c1\"}]");
        listening.set(true);
        decoder.add("2[\"messageBroadcast\",{\"text\":\"now someone listens\"}]");

        assertThat(decoded).extracting(p -> ((JSONArray) p.data).optString(0))
                .containsExactly("messageAck", "messageBroadcast");
    }

    @Test
    void aStringArgumentStaysAString() throws Exception {
        decoder.add("2[\"messageBroadcast\",\"{\\\"text\\\":\\\"sent as a string\\\"}\",null]");

        JSONArray data = (JSONArray) decoded.get(0).data;
        assertThat(ElizaProtocol.parse(data.get(1))).containsEntry("text", "sent as a string");
        assertThat(data.get(2)).isEqualTo(JSONObject.NULL);
    }

    @Test
    void everyOtherPacketIsTheSocketIoDecodersOwn() throws Exception {
        decoder.add("0{\"sid\":\"abc\"}");
        decoder.add("4{\"message\":\"Invalid or missing API Key\"}");
        decoder.add("2/admin,[\"messageAck\",{}]");
        decoder.add("212[\"withAck\",{}]");

        assertThat(decoded).extracting(p -> p.type)
                .containsExactly(Parser.CONNECT, Parser.CONNECT_ERROR, Parser.EVENT, Parser.EVENT);
        assertThat(decoded.get(1).data).isInstanceOf(JSONObject.class);
        assertThat(decoded.get(2).nsp).isEqualTo("/admin");
        assertThat(decoded.get(3).id).isEqualTo(12);
    }

    @Test
    void aMalformedEventIsLeftToTheSocketIoDecoderToReport() {
        // the client's decoder throws, and its Manager reports the error: nothing half-read reaches a listener
        assertThatThrownBy(() -> decoder.add("2[\"messageAck\",{not json]")).isInstanceOf(DecodingException.class);
        assertThat(decoded).isEmpty();
    }
}
