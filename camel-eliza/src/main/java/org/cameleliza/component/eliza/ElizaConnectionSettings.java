package org.cameleliza.component.eliza;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * What a connection needs beyond its {@link ElizaConnectionKey}: reconnect policy, TLS, extra headers. A shared
 * connection takes them from the first endpoint that opens it.
 */
public final class ElizaConnectionSettings {

    private final ElizaConnectionKey key;
    private final long reconnectInitialDelay;
    private final long reconnectMaxDelay;
    private final int maxReconnectAttempts;
    private final long joinTimeout;
    private final SSLContext sslContext;
    private final X509TrustManager trustManager;
    private final Map<String, String> httpHeaders;

    /**
     * The settings of an endpoint's connection; TLS from {@code sslParameters} (endpoint's, else the component's or
     * the global ones), or the JVM's defaults when null.
     */
    public static ElizaConnectionSettings of(
            ElizaConnectionKey key, ElizaConfiguration config, SSLContextParameters sslParameters, CamelContext context)
            throws GeneralSecurityException, java.io.IOException {
        if (sslParameters == null) {
            return new ElizaConnectionSettings(key, config, null, null);
        }
        SSLContext sslContext = sslParameters.createSSLContext(context);
        TrustManager[] trustManagers = sslParameters.getTrustManagers() != null
                ? sslParameters.getTrustManagers().createTrustManagers() : null;
        if (trustManagers == null) {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            trustManagers = factory.getTrustManagers();
        }
        for (TrustManager trustManager : trustManagers) {
            if (trustManager instanceof X509TrustManager) {
                return new ElizaConnectionSettings(key, config, sslContext, (X509TrustManager) trustManager);
            }
        }
        throw new GeneralSecurityException("The sslContextParameters have no X509 trust manager");
    }

    private ElizaConnectionSettings(ElizaConnectionKey key, ElizaConfiguration config, SSLContext sslContext,
                                    X509TrustManager trustManager) {
        this.key = key;
        this.reconnectInitialDelay = config.getReconnectInitialDelay();
        this.reconnectMaxDelay = config.getReconnectMaxDelay();
        this.maxReconnectAttempts = config.getMaxReconnectAttempts();
        this.joinTimeout = config.getConnectTimeout();
        this.sslContext = sslContext;
        this.trustManager = trustManager;
        Map<String, String> headers = new LinkedHashMap<>();
        if (config.getHttpHeaders() != null) {
            config.getHttpHeaders().forEach((name, value) -> headers.put(name, String.valueOf(value)));
        }
        this.httpHeaders = Map.copyOf(headers);
    }

    public ElizaConnectionKey getKey() {
        return key;
    }

    public long getReconnectInitialDelay() {
        return reconnectInitialDelay;
    }

    public long getReconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /** 0 = forever. */
    public int getMaxReconnectAttempts() {
        return maxReconnectAttempts;
    }

    /** How long a (re)join may take before it is sent again. */
    public long getJoinTimeout() {
        return joinTimeout;
    }

    /** The TLS context for https URLs, or null for the JVM's default. */
    public SSLContext getSslContext() {
        return sslContext;
    }

    /** The trust manager of {@link #getSslContext()}, or null. */
    public X509TrustManager getTrustManager() {
        return trustManager;
    }

    /** Extra HTTP headers for the handshake and REST calls (never credentials: those come from the key). */
    public Map<String, String> getHttpHeaders() {
        return httpHeaders;
    }
}
