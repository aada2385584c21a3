package org.cameleliza.component.eliza;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import okhttp3.Cache;
import okhttp3.OkHttpClient;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client the component uses unless told otherwise: OkHttp with the connection's TLS settings.
 */
public class DefaultElizaHttpClientFactory implements ElizaHttpClientFactory {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultElizaHttpClientFactory.class);
    /**
     * How long the calls a released client still runs may take to end by themselves before they are cancelled: the
     * WebSocket's reader ends when the server answered its close, at once from a server that is up.
     */
    static final long RELEASE_GRACE_MILLIS = 2000;
    /** Longer than the server's heartbeat window (ping interval 25 s + timeout 20 s), so long polls are not cut. */
    static final long READ_TIMEOUT_SECONDS = 60;
    static final long CONNECT_TIMEOUT_SECONDS = 15;

    @Override
    public OkHttpClient createClient(ElizaConnectionSettings settings, CamelContext context) throws Exception {
        return newBuilder(settings, context).build();
    }

    /**
     * Shuts down a client this class built: each connection has its own. Not one of a subclass, which may hand the
     * same client (or its dispatcher and pool) to many connections and to code of its own: whether to close it is the
     * subclass's decision, taken by overriding this.
     */
    @Override
    public void release(OkHttpClient client) {
        if (getClass() == DefaultElizaHttpClientFactory.class) {
            shutDown(client);
        }
    }

    /**
     * Ends everything a client runs, so that none of its threads outlives it: its dispatcher's threads (which are not
     * daemons, and idle a minute before they end) and its WebSocket's writer end once the calls still running ended;
     * those that do not end within a grace period are cancelled; the connections its pool keeps are closed, and its
     * cache. For a client nothing else uses: whoever shares its dispatcher or pool finds them shut down. Call it after
     * the Socket.IO socket on the client was closed, so that the WebSocket ends with its close handshake.
     * <p>
     * Two daemon threads of OkHttp remain for a while, which belong to no client: Okio's watchdog of timeouts and the
     * cleaner of connection pools, shared by the whole JVM. They end by themselves once idle and keep no JVM up.
     */
    public static void shutDown(OkHttpClient client) {
        ExecutorService dispatcher = client.dispatcher().executorService();
        // no new call; the idle threads end now
        dispatcher.shutdown();
        try {
            if (!dispatcher.awaitTermination(RELEASE_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                // a server that does not answer would hold them up to the read timeout, or the WebSocket's minute
                client.dispatcher().cancelAll();
            }
        } catch (InterruptedException e) {
            client.dispatcher().cancelAll();
            Thread.currentThread().interrupt();
        }
        // after the calls: the connections they gave back are idle now, and an idle connection is what this closes
        client.connectionPool().evictAll();
        Cache cache = client.cache();
        if (cache != null) {
            try {
                cache.close();
            } catch (IOException e) {
                LOG.debug("Closing the cache of an HTTP client: {}", e.getMessage());
            }
        }
    }

    /**
     * A builder with the component's timeouts, the TLS of {@code settings} and sockets with TCP_NODELAY on
     * ({@link ElizaNoDelaySocketFactory}): a start for a factory of your own.
     */
    public static OkHttpClient.Builder newBuilder(ElizaConnectionSettings settings, CamelContext context)
            throws Exception {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .readTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                // set here, so that the component need not make a second client around this one to set it
                .socketFactory(new ElizaNoDelaySocketFactory(SocketFactory.getDefault()));
        SSLContextParameters ssl = settings.getSslContextParameters();
        if (ssl != null) {
            SSLContext sslContext = ssl.createSSLContext(context);
            builder.sslSocketFactory(sslContext.getSocketFactory(), trustManager(ssl));
        }
        return builder;
    }

    private static X509TrustManager trustManager(SSLContextParameters ssl) throws Exception {
        TrustManager[] trustManagers = ssl.getTrustManagers() != null ? ssl.getTrustManagers().createTrustManagers() : null;
        if (trustManagers == null) {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            trustManagers = factory.getTrustManagers();
        }
        for (TrustManager trustManager : trustManagers) {
            if (trustManager instanceof X509TrustManager) {
                return (X509TrustManager) trustManager;
            }
        }
        throw new GeneralSecurityException("The sslContextParameters have no X509 trust manager");
    }
}
