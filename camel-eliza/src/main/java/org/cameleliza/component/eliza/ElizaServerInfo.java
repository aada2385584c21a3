package org.cameleliza.component.eliza;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a connection learns about its server: the message server id (a per-deployment id with data isolation, the
 * default id otherwise). Read over REST on connect until the server answered once; after a transient failure the
 * default is used for now and the id is read again on the next connect, instead of being pinned for the connection's
 * life.
 */
final class ElizaServerInfo {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaServerInfo.class);

    // written on the connection's thread, read by producers building a message
    private volatile String messageServerId;
    private boolean answered;

    /** The message server id to use now: the server's, or the default one until it is known. */
    String messageServerId() {
        String id = messageServerId;
        return id != null ? id : ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID;
    }

    /**
     * Reads the id unless the server answered before. Completes (on the connection's thread) also when the read failed
     * for a transient reason; fails only with {@link ElizaAuthenticationException}.
     */
    CompletableFuture<Void> refresh(ElizaRestClient rest, String server) {
        if (answered) {
            return CompletableFuture.completedFuture(null);
        }
        return rest.currentMessageServerId().handle((id, error) -> {
            if (error == null) {
                // null: the server has no such route (elizaOS 1.5 and older) and uses the default id
                messageServerId = id;
                answered = true;
                return null;
            }
            Throwable cause = ElizaConnection.unwrap(error);
            if (cause instanceof ElizaAuthenticationException) {
                throw new CompletionException(cause);
            }
            LOG.warn("Cannot read the message server id of {}: {}; using {} until the next connect", server,
                    cause.getMessage(), messageServerId());
            return null;
        });
    }
}
