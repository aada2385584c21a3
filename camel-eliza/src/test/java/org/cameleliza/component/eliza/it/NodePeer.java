package org.cameleliza.component.eliza.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An independent Socket.IO client: Node's official socket.io-client, driven through camel-eliza-test/post-message.mjs.
 */
public final class NodePeer {

    private NodePeer() {
    }

    /** Posts one message and returns the server's ack payload. */
    public static Map<String, Object> post(String url, String entityId, String channelId, String senderName, String text)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("node", harness().resolve("post-message.mjs").toString(),
                "--url", url, "--entity-id", entityId, "--channel-id", channelId, "--sender-name", senderName,
                "--text", text));
        Process p = new ProcessBuilder(command).directory(harness().toFile()).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        String ack = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("ACK ")) {
                    ack = line.substring(4);
                }
            }
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        if (ack == null) {
            throw new IllegalStateException("The Node peer failed: " + output);
        }
        return new ObjectMapper().readValue(ack, new TypeReference<Map<String, Object>>() {
        });
    }

    private static Path harness() {
        return Paths.get(System.getProperty("eliza.testServer.dir", "../camel-eliza-test")).toAbsolutePath();
    }
}
