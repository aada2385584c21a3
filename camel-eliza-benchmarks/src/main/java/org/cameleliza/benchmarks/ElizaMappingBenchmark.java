package org.cameleliza.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cameleliza.benchmarks.RawClient;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.cameleliza.component.eliza.protocol.ElizaPacketDecoder;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.json.JSONArray;
import org.json.JSONObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-message JSON work of the producer, on the component's protocol classes ({@code ElizaProtocol},
 * {@code ElizaPacketDecoder}, {@code ElizaOutgoingMessage}). Each benchmark is one message:
 * <ul>
 * <li>send: what happens between the exchange's body and the bytes of the Socket.IO frame;</li>
 * <li>ack: what happens between the frame's text and the map the producer completes with.</li>
 * </ul>
 * The {@code ioSocket*} benchmarks are the part the io.socket client does itself (its parser works on org.json), so
 * the component's own share is the difference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ElizaMappingBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SERVER_ID = "00000000-0000-0000-0000-000000000000";

    private String channelId;
    private String entityId;
    private String clientMessageId;
    private String text;
    private String ackFrame;
    private JSONObject ackArg;
    private ElizaProtocol.Json ackJson;
    private final Object[] decoded = new Object[1];
    private final ElizaPacketDecoder decoder = new ElizaPacketDecoder(() -> true);

    @Setup
    public void setup() throws Exception {
        channelId = UUID.randomUUID().toString();
        entityId = UUID.randomUUID().toString();
        clientMessageId = UUID.randomUUID().toString();
        text = "message 12345: a short question for the agent, as a chat would send it";
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("clientMessageId", clientMessageId);
        ack.put("messageId", UUID.randomUUID().toString());
        ack.put("status", "received_by_server_and_processing");
        ack.put("channelId", channelId);
        ack.put("roomId", channelId);
        ackFrame = MAPPER.writeValueAsString(List.of("messageAck", ack));
        ackArg = new JSONArray(ackFrame).getJSONObject(1);
        ackJson = new ElizaProtocol.Json(MAPPER.writeValueAsString(ack));
        decoder.onDecoded(packet -> decoded[0] = ((JSONArray) packet.data).opt(1));
    }

    private ElizaProtocol.Outgoing outgoing(String messageServerId) {
        return new ElizaProtocol.Outgoing(channelId, entityId, "Camel", text, messageServerId, clientMessageId, "camel",
                null, null, null);
    }

    /**
     * The component, messageServerId unset (the default): the message encoded once (its size follows from the text),
     * then what io.socket's encoder does with the emit's arguments (writes the pre-encoded JSON into the frame).
     */
    @Benchmark
    public String componentSend() {
        ElizaOutgoingMessage message = new ElizaOutgoingMessage(outgoing(null));
        if (message.packetSize() > 1_000_000) {
            throw new IllegalStateException();
        }
        return new JSONArray().put(ElizaProtocol.EMIT_MESSAGE).put(message.envelope(SERVER_ID)).toString();
    }

    /** The component with messageServerId set on the endpoint. */
    @Benchmark
    public String componentSendServerIdSet() {
        ElizaOutgoingMessage message = new ElizaOutgoingMessage(outgoing(SERVER_ID));
        if (message.packetSize() > 1_000_000) {
            throw new IllegalStateException();
        }
        return new JSONArray().put(ElizaProtocol.EMIT_MESSAGE).put(message.envelope(SERVER_ID)).toString();
    }

    /** What an application on the raw client does: build org.json objects, and the client encodes them. */
    @Benchmark
    public String rawClientSend() throws Exception {
        JSONObject envelope = RawClient.sendEnvelope(channelId, entityId, text, clientMessageId);
        return new JSONArray().put(ElizaProtocol.EMIT_MESSAGE).put(envelope).toString();
    }

    /** The target: the payload map serialised once, straight to the frame's bytes, which also give its size. */
    @Benchmark
    public byte[] singleJacksonSend() throws Exception {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", ElizaProtocol.SEND_MESSAGE);
        envelope.put("payload", ElizaProtocol.sendPayload(outgoing(SERVER_ID)));
        byte[] frame = MAPPER.writeValueAsBytes(List.of(ElizaProtocol.EMIT_MESSAGE, envelope));
        if (frame.length + 2 > 1_000_000) {
            throw new IllegalStateException();
        }
        return frame;
    }

    /** The io.socket client's share of an ack: the frame's text parsed into org.json (raw client and component). */
    @Benchmark
    public JSONObject ioSocketAckDecode() throws Exception {
        return new JSONArray(ackFrame).getJSONObject(1);
    }

    /**
     * The component's whole ack: {@link ElizaPacketDecoder} reads the frame with Jackson into the map its listener
     * gets (it replaces io.socket's org.json decoding, {@link #ioSocketAckDecode}, and the component's second parse).
     */
    @Benchmark
    public Object componentAckDecode() {
        decoder.add("2" + ackFrame);
        return decoded[0];
    }

    /** The raw client's share of an ack: read the id from the org.json object. */
    @Benchmark
    public String rawClientAckRead() {
        return ackArg.optString("clientMessageId");
    }

    /** The target with a client of our own: the frame parsed once, with Jackson, into the map. */
    @Benchmark
    public Map<String, Object> singleJacksonAckParse() throws Exception {
        List<Object> frame = MAPPER.readValue(ackFrame, new TypeReference<List<Object>>() {
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> ack = (Map<String, Object>) frame.get(1);
        return ack;
    }

    /** For the size check alone: counted on the text the message was encoded to anyway. */
    @Benchmark
    public int componentPacketSizeOnly() {
        return ElizaProtocol.packetSize(ElizaProtocol.EMIT_MESSAGE, ackJson);
    }

}
