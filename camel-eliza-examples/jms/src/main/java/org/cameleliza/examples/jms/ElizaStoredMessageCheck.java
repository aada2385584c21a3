package org.cameleliza.examples.jms;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.component.eliza.ElizaConfiguration;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaIds;

/**
 * For a message the broker delivers again: asks the Eliza server whether it already stored it, by its client message
 * id, and if so records the stored message's id in the exchange property {@link #STORED_MESSAGE_ID}, so the route does
 * not send it twice.
 * <p>
 * Why the route needs this: the eliza producer makes a redelivery of the <em>same exchange</em> safe (it asks the
 * server before sending again), but a JMS rollback ends the exchange, and the broker's redelivery is a new one that
 * knows nothing of the earlier send. A send can have reached the server although the exchange failed: the connection
 * dropped between the server storing the message and its acknowledgement, or the transaction failed after the
 * acknowledgement (a crash before the commit). The JMS message id, and so the client message id derived from it, is
 * the same on every delivery, and the server keeps the client message id with the message (its {@code sourceId}).
 * <p>
 * When the server cannot be asked (it is down) the exchange fails and the broker tries again later: a message is
 * never sent while it is unknown whether it was stored.
 */
public final class ElizaStoredMessageCheck implements Processor {

    /** Exchange property: the server's id of the message, when an earlier delivery already stored it. */
    public static final String STORED_MESSAGE_ID = "ElizaStoredMessageId";

    /** Slack for the difference between the JMS client's clock and the Eliza server's. */
    private static final long CLOCK_SLACK_MILLIS = 300_000;
    private static final int PAGE_SIZE = 100;
    /** Bounds the REST calls one check costs (elizaOS allows a client 1000 per 15 minutes). */
    private static final int MAX_PAGES = 10;

    private final String channelId;
    private final HttpClient http = HttpClient.newBuilder()
            // HTTP/1.1: the elizaOS server closes a connection that offers an upgrade to HTTP/2 (h2c)
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** @param channel the channel the route sends to, as in the eliza: URI (a name or a UUID) */
    public ElizaStoredMessageCheck(String channel) {
        this.channelId = ElizaIds.channelId(channel);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        // the id the route will send the message with: the producer's input, still on the message before the send
        String clientMessageId = exchange.getMessage().getHeader(ElizaConstants.OVERRIDE_CLIENT_MESSAGE_ID, String.class);
        if (clientMessageId == null) {
            // no JMS message id to derive it from: nothing to recognise the message by
            return;
        }
        Long sentToBroker = exchange.getMessage().getHeader("JMSTimestamp", Long.class);
        long notBefore = sentToBroker == null || sentToBroker <= 0 ? 0 : sentToBroker - CLOCK_SLACK_MILLIS;
        // the url and the API key as the eliza endpoints use them: the component's configuration
        ElizaConfiguration eliza = exchange.getContext().getComponent("eliza", ElizaComponent.class).getConfiguration();
        Optional<String> stored;
        try {
            stored = find(eliza, clientMessageId, notBefore);
        } catch (IOException e) {
            // the JDK's connection errors often carry no message: say what could not be done, and why
            throw new IOException("Cannot ask the Eliza server at " + withoutUserInfo(eliza.getUrl())
                                  + " whether it stored message " + clientMessageId
                                  + " on an earlier delivery, so it is not sent for now: " + e, e);
        }
        stored.ifPresent(id -> exchange.setProperty(STORED_MESSAGE_ID, id));
    }

    /** The url as it may be logged: without credentials in it. */
    private static String withoutUserInfo(String url) {
        return url.replaceFirst("//[^/@]*@", "//");
    }

    /** The server's id of the channel's message with this client message id, created at or after notBefore. */
    Optional<String> find(ElizaConfiguration eliza, String clientMessageId, long notBefore)
            throws IOException, InterruptedException {
        String base = eliza.getUrl().replaceAll("/+$", "") + "/api/messaging/channels/" + channelId
                      + "/messages?limit=" + PAGE_SIZE;
        long before = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode messages = get(before > 0 ? base + "&before=" + before : base, eliza);
            long oldest = Long.MAX_VALUE;
            for (JsonNode message : messages) {
                if (clientMessageId.equals(message.path("sourceId").asText(null))) {
                    return Optional.of(message.path("id").asText());
                }
                oldest = Math.min(oldest, message.path("created_at").asLong(Long.MAX_VALUE));
            }
            if (messages.size() < PAGE_SIZE || oldest < notBefore) {
                return Optional.empty();
            }
            // "before" is exclusive: messages of the oldest one's millisecond may be on the next page too
            before = oldest + 1 == before ? oldest : oldest + 1;
        }
        throw new IOException("More than " + MAX_PAGES * PAGE_SIZE + " messages in channel " + channelId
                              + " since the message was sent: too many to search");
    }

    /** A GET with the credentials the component uses (its authTokenFile and authTokenSupplier are not supported). */
    private JsonNode get(String uri, ElizaConfiguration eliza) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET();
        if (eliza.getApiKey() != null) {
            request.header("X-API-KEY", eliza.getApiKey());
        }
        if (eliza.getAuthToken() != null) {
            request.header("Authorization", "Bearer " + eliza.getAuthToken());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            // the server does not know the channel: it stored nothing in it
            return json.createArrayNode();
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + URI.create(uri).getPath() + " answered HTTP " + response.statusCode());
        }
        return json.readTree(response.body()).path("data").path("messages");
    }
}
