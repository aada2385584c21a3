package org.cameleliza.component.eliza;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.camel.support.jsse.SSLContextParameters;
import org.cameleliza.component.eliza.connection.ElizaCredentials;
import org.cameleliza.component.eliza.protocol.ElizaServerVersion;

/**
 * Everything that defines a connection: the server, the entity it acts as, the credentials, and the settings of its
 * transport (reconnect policy, TLS, extra headers, HTTP client factory). It is the identity of a shared connection:
 * two endpoints share one Socket.IO connection only when all of this is equal, so an endpoint never runs with settings
 * that another endpoint chose. {@link #toString()} never shows a credential.
 */
public final class ElizaConnectionSettings {

    private final String url;
    private final String entityId;
    private final ElizaCredentials credentials;
    private final long reconnectInitialDelay;
    private final long reconnectMaxDelay;
    private final long refusedReconnectInitialDelay;
    private final long refusedReconnectMaxDelay;
    private final int maxReconnectAttempts;
    private final long joinTimeout;
    private final SSLContextParameters sslContextParameters;
    private final Map<String, String> httpHeaders;
    private final ElizaHttpClientFactory httpClientFactory;
    private final ElizaServerVersion serverVersion;

    ElizaConnectionSettings(String url, String entityId, ElizaConnectionConfiguration config, SSLContextParameters ssl,
                            ElizaHttpClientFactory httpClientFactory) {
        this.url = Objects.requireNonNull(url, "url");
        this.entityId = Objects.requireNonNull(entityId, "entityId");
        this.credentials = new ElizaCredentials(config.getApiKey(), config.getAuthToken(), config.getAuthTokenFile(),
                config.getAuthTokenSupplier());
        this.reconnectInitialDelay = config.getReconnectInitialDelay();
        this.reconnectMaxDelay = config.getReconnectMaxDelay();
        this.refusedReconnectInitialDelay = config.getRefusedReconnectInitialDelay();
        this.refusedReconnectMaxDelay = config.getRefusedReconnectMaxDelay();
        this.maxReconnectAttempts = config.getMaxReconnectAttempts();
        this.joinTimeout = config.getConnectTimeout();
        this.sslContextParameters = ssl;
        Map<String, String> headers = new LinkedHashMap<>();
        if (config.getHttpHeaders() != null) {
            config.getHttpHeaders().forEach((name, value) -> headers.put(name, String.valueOf(value)));
        }
        this.httpHeaders = Map.copyOf(headers);
        this.httpClientFactory = Objects.requireNonNull(httpClientFactory, "httpClientFactory");
        this.serverVersion = ElizaServerVersion.configured(config.getServerVersion());
    }

    public String getUrl() {
        return url;
    }

    /** The url as logs and error messages show it: without user info. */
    public String displayUrl() {
        return ElizaEndpoint.withoutUserInfo(url);
    }

    public String getEntityId() {
        return entityId;
    }

    public ElizaCredentials getCredentials() {
        return credentials;
    }

    public long getReconnectInitialDelay() {
        return reconnectInitialDelay;
    }

    public long getReconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    public long getRefusedReconnectInitialDelay() {
        return refusedReconnectInitialDelay;
    }

    public long getRefusedReconnectMaxDelay() {
        return refusedReconnectMaxDelay;
    }

    /** 0 = forever. */
    public int getMaxReconnectAttempts() {
        return maxReconnectAttempts;
    }

    /** How long a (re)join may take before it is sent again. */
    public long getJoinTimeout() {
        return joinTimeout;
    }

    /** The TLS configuration for https URLs, or null for the JVM's default. */
    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /** Extra HTTP headers for the handshake and REST calls (never credentials: those are added separately). */
    public Map<String, String> getHttpHeaders() {
        return httpHeaders;
    }

    public ElizaHttpClientFactory getHttpClientFactory() {
        return httpClientFactory;
    }

    /** The configured server version, or null to read it from the server. */
    public ElizaServerVersion getServerVersion() {
        return serverVersion;
    }

    private String serverVersionText() {
        return serverVersion != null ? serverVersion.text() : null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ElizaConnectionSettings)) {
            return false;
        }
        ElizaConnectionSettings other = (ElizaConnectionSettings) o;
        // TLS parameters and client factories are beans: the same bean, not an equal one
        return url.equals(other.url) && entityId.equals(other.entityId) && credentials.equals(other.credentials)
                && reconnectInitialDelay == other.reconnectInitialDelay && reconnectMaxDelay == other.reconnectMaxDelay
                && refusedReconnectInitialDelay == other.refusedReconnectInitialDelay
                && refusedReconnectMaxDelay == other.refusedReconnectMaxDelay
                && maxReconnectAttempts == other.maxReconnectAttempts && joinTimeout == other.joinTimeout
                && sslContextParameters == other.sslContextParameters && httpHeaders.equals(other.httpHeaders)
                && httpClientFactory == other.httpClientFactory
                && Objects.equals(serverVersionText(), other.serverVersionText());
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, entityId, credentials, reconnectInitialDelay, reconnectMaxDelay, refusedReconnectInitialDelay,
                refusedReconnectMaxDelay, maxReconnectAttempts,
                joinTimeout, System.identityHashCode(sslContextParameters), httpHeaders,
                System.identityHashCode(httpClientFactory), serverVersionText());
    }

    @Override
    public String toString() {
        return displayUrl() + " as entity " + entityId + credentials;
    }
}
