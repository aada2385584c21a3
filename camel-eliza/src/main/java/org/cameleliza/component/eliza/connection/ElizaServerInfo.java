package org.cameleliza.component.eliza.connection;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaConfiguration;
import org.cameleliza.component.eliza.protocol.ElizaServerVersion;
import org.cameleliza.component.eliza.rest.ElizaRestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a connection learns about its server when it first connects: its version (see {@link ElizaServerVersion}) and
 * its message server id (a per-deployment id with data isolation, the default id otherwise). Two REST requests, once
 * per connection (one when the version is configured, none for the id on a line without that endpoint): every REST
 * route of the server shares one rate limit (1000 requests per 15 minutes per client address) with its own agents,
 * so reconnects do not spend it again. What a transient failure kept from being read is read again later
 * ({@link #readLater}) and on the next connect.
 */
public final class ElizaServerInfo {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaServerInfo.class);
    /**
     * When the server's id or version could not be read at connect, they are read again after these delays, the last
     * one repeated: few requests, since every REST route of the server shares one rate limit.
     */
    private static final long[] RETRIES = { 2000, 10000, 60000, 300000 };

    private final ElizaServerVersion configured;
    // written on the connection's thread, read by producers building a message and by the REST client
    private volatile String messageServerId;
    private volatile ElizaServerVersion version;
    // the connection's thread only
    private boolean answered;
    // the version read failed for a transient reason: the version in use is inferred, and is read again
    private boolean versionUnread;

    ElizaServerInfo(ElizaServerVersion configured) {
        this.configured = configured;
        this.version = configured;
    }

    /** The message server id to use now: the server's, or the default one until it is known. */
    String messageServerId() {
        String id = messageServerId;
        return id != null ? id : ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID;
    }

    /** Whether everything there is to read was read: false while a read that failed for a transient reason is due. */
    boolean isComplete() {
        return answered;
    }

    /** The server's version, or null while it is not known (before the first connect, or when nothing told). */
    ElizaServerVersion version() {
        return version;
    }

    /**
     * Reads the version (unless configured or known) and then the message server id (when the line has the endpoint),
     * unless both were read before. Completes on the connection's thread, also when a read failed for a transient
     * reason (what was known before stays); fails only with {@link ElizaAuthenticationException}.
     */
    CompletableFuture<Void> refresh(ElizaRestClient rest, String server) {
        if (answered) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<ElizaServerVersion> detected = version != null && !versionUnread
                ? CompletableFuture.completedFuture(version)
                : rest.serverVersion().handle((reported, error) -> {
                    if (error != null) {
                        rethrowIfRefused(error);
                        LOG.debug("Cannot read the version of {}: {}", server, ElizaConnection.unwrap(error).getMessage());
                        versionUnread = true;
                        return null;
                    }
                    versionUnread = false;
                    return ElizaServerVersion.parse(reported, "reported by /api/system/version");
                });
        return detected.thenCompose(known -> {
            if (known != null) {
                setVersion(known, rest);
                if (!known.hasMessageServerEndpoint()) {
                    answered = true;
                    return CompletableFuture.completedFuture(null);
                }
            }
            return rest.currentMessageServerId().handle((answer, error) -> {
                if (error != null) {
                    rethrowIfRefused(error);
                    LOG.warn("Cannot read the message server id of {}: {}; using {} until it is read", server,
                            ElizaConnection.unwrap(error).getMessage(), messageServerId());
                    return null;
                }
                if (known == null) {
                    // no version reported (a gateway may hide it): what the server offers tells the line
                    setVersion(answer.offered() ? ElizaServerVersion.withMessageServerEndpoint()
                            : ElizaServerVersion.withoutMessageServerEndpoint(), rest);
                }
                messageServerId = answer.id();
                answered = !versionUnread;
                return null;
            });
        });
    }

    /** The server ended an agent's turn with messageComplete: a line that does, if that was not known yet. */
    void onMessageComplete(ElizaRestClient rest) {
        ElizaServerVersion current = version;
        if (current != null && current != current.sentMessageComplete()) {
            setVersion(current.sentMessageComplete(), rest);
        }
    }

    private void setVersion(ElizaServerVersion known, ElizaRestClient rest) {
        version = known;
        rest.useRoutesOf(known);
    }

    private static void rethrowIfRefused(Throwable error) {
        Throwable cause = ElizaConnection.unwrap(error);
        if (cause instanceof ElizaAuthenticationException) {
            throw new CompletionException(cause);
        }
    }

    /**
     * What a transient failure kept the connect from reading (a 429 or 5xx from the server's REST API) is read again
     * while the connection lasts ({@code current}): until then messages carry the default message server id, which a
     * server with data isolation refuses ("Server 00000000-... does not exist"). On the connection's thread.
     */
    void readLater(ElizaRestClient rest, String server, BiConsumer<Runnable, Long> scheduler, BooleanSupplier current,
                   Consumer<ElizaAuthenticationException> onRefused) {
        readLater(rest, server, scheduler, current, onRefused, 0);
    }

    private void readLater(ElizaRestClient rest, String server, BiConsumer<Runnable, Long> scheduler,
                           BooleanSupplier current, Consumer<ElizaAuthenticationException> onRefused, int attempt) {
        if (isComplete()) {
            return;
        }
        scheduler.accept(() -> {
            if (!current.getAsBoolean()) {
                return;
            }
            refresh(rest, server).whenComplete((v, error) -> {
                if (!current.getAsBoolean()) {
                    return;
                }
                Throwable cause = error != null ? ElizaConnection.unwrap(error) : null;
                if (cause instanceof ElizaAuthenticationException) {
                    onRefused.accept((ElizaAuthenticationException) cause);
                } else if (isComplete()) {
                    LOG.info("Read what the connect could not about Eliza server {}: message server id {}, {}",
                            server, messageServerId(), version != null ? version.describe() : "version unknown");
                } else {
                    readLater(rest, server, scheduler, current, onRefused, attempt + 1);
                }
            });
        }, Math.max(RETRIES[Math.min(attempt, RETRIES.length - 1)], rest.budget().pausedForMillis()));
    }
}
