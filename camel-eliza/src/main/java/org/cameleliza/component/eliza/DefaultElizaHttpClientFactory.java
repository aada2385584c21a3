package org.cameleliza.component.eliza;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import okhttp3.OkHttpClient;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The HTTP client the component uses unless told otherwise: OkHttp with the connection's TLS settings.
 */
public class DefaultElizaHttpClientFactory implements ElizaHttpClientFactory {

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
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /** A builder with the component's timeouts and the TLS of {@code settings}: a start for a factory of your own. */
    public static OkHttpClient.Builder newBuilder(ElizaConnectionSettings settings, CamelContext context)
            throws Exception {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .readTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
