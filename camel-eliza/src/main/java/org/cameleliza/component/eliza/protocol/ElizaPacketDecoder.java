package org.cameleliza.component.eliza.protocol;

import java.io.IOException;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.socket.parser.IOParser;
import io.socket.parser.Packet;
import io.socket.parser.Parser;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Decodes the Socket.IO packets of a connection. The events of the root namespace, which is all an elizaOS server
 * sends once connected, are read with Jackson straight into maps, which reach the listeners as they are: the Socket.IO
 * client's own decoder would build org.json objects that the component would have to turn into text and parse again.
 * Channel events nobody listens to (a connection with producers only, which the server still sends the echo of every
 * message) are dropped after reading their name. Every other packet (connect, disconnect, connect errors, acks,
 * binary, other namespaces) goes to the client's own decoder.
 * <p>
 * Runs on the Socket.IO client's event thread, one packet at a time.
 */
public final class ElizaPacketDecoder implements Parser.Decoder {

    private static final Set<String> CHANNEL_EVENTS = Set.copyOf(ElizaEvents.CHANNEL_EVENTS);

    private final Parser.Decoder fallback = new IOParser.Decoder();
    private final BooleanSupplier listening;
    private Callback callback;

    /** {@code listening}: whether anyone listens to channel events now; read on the event thread. */
    public ElizaPacketDecoder(BooleanSupplier listening) {
        this.listening = listening;
    }

    @Override
    public void add(String frame) {
        // "2[" is an EVENT of the root namespace without an ack id: "2" + JSON array
        if (frame.length() < 3 || frame.charAt(0) != '2' || frame.charAt(1) != '[') {
            fallback.add(frame);
            return;
        }
        JSONArray data;
        try {
            data = read(frame);
        } catch (IOException | RuntimeException e) {
            // malformed: the client's decoder reports it the way Socket.IO does
            fallback.add(frame);
            return;
        }
        if (data != null && callback != null) {
            Packet<JSONArray> packet = new Packet<>(Parser.EVENT, data);
            packet.nsp = "/";
            callback.call(packet);
        }
    }

    /** The event name and its arguments, or null for a channel event nobody listens to. */
    private JSONArray read(String frame) throws IOException {
        try (JsonParser parser = ElizaProtocol.jsonParser(frame, 1)) {
            if (parser.nextToken() != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.VALUE_STRING) {
                throw new IOException("not an event");
            }
            String event = parser.getText();
            if (CHANNEL_EVENTS.contains(event) && !listening.getAsBoolean()) {
                return null;
            }
            // the arguments as Jackson reads them (maps, lists, strings, numbers); put(Object) keeps them as they are
            JSONArray data = new JSONArray().put(event);
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                data.put(parser.currentToken() == JsonToken.VALUE_NULL ? JSONObject.NULL : ElizaProtocol.readValue(parser));
            }
            return data;
        }
    }

    @Override
    public void add(byte[] frame) {
        fallback.add(frame);
    }

    @Override
    public void destroy() {
        fallback.destroy();
    }

    @Override
    public void onDecoded(Callback callback) {
        this.callback = callback;
        fallback.onDecoded(callback);
    }
}
