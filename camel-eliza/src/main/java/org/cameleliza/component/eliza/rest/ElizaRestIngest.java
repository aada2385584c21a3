package org.cameleliza.component.eliza.rest;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;

/**
 * Posts a message the way an external platform's bridge does (POST /api/messaging/ingest-external, every line from
 * 1.2): the one way of the elizaOS API to store a message of a client with the message it answers
 * (in_reply_to_message_id), which a Socket.IO SEND_MESSAGE cannot carry. The server stores it, hands it to the room's
 * agents as a user's message and broadcasts it to the room's sockets. It spends one request of the server's REST
 * budget, and fails at once while that budget is spent (see {@link ElizaRestBudget}). Used by participant routes
 * with replyVia=rest only.
 */
public final class ElizaRestIngest {

    private static final String PATH = "/api/messaging/ingest-external";

    private ElizaRestIngest() {
    }

    /** Completes with the stored message's id (null when the server names none), on the connection's executor. */
    public static CompletableFuture<String> ingest(ElizaRestClient rest, Map<String, Object> message) {
        return rest.call("POST", PATH, ElizaProtocol.toJson(message)).thenApply(answer -> {
            int status = answer.status();
            if (status == 401 || status == 403) {
                throw new CompletionException(new ElizaAuthenticationException("The Eliza server at " + rest.displayUrl()
                                                                               + " refused POST " + PATH + " with HTTP "
                                                                               + status
                                                                               + ": check the apiKey and authToken options"));
            }
            if (status / 100 != 2) {
                throw new CompletionException(new ElizaException(
                        "POST " + PATH + " on " + rest.displayUrl() + " answered HTTP " + status));
            }
            Object data = answer.json() != null ? answer.json().get("data") : null;
            Object id = data instanceof Map ? ((Map<?, ?>) data).get("messageId") : null;
            return id != null ? id.toString() : null;
        });
    }
}
