package org.cameleliza.component.eliza;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The options of the connection to the elizaOS server: where it is, its version, the credentials, TLS, extra HTTP
 * headers, timeouts, the reconnect policy and the HTTP client. With the entity id they make up the
 * {@link ElizaConnectionSettings}, which decide what endpoints share one Socket.IO connection.
 * {@link ElizaConfiguration} extends it with the options of the conversation, the consumer and the producer, the way
 * camel-ftp's RemoteFileConfiguration extends GenericFileConfiguration: one cohesive group of options per class.
 */
@UriParams
public abstract class ElizaConnectionConfiguration implements Cloneable {

    @UriParam(defaultValue = "http://localhost:3000")
    private String url = "http://localhost:3000";
    @UriParam(label = "advanced", defaultValue = "auto")
    private String serverVersion = "auto";
    @UriParam(label = "security", secret = true)
    private String apiKey;
    @UriParam(label = "security", secret = true)
    private String authToken;
    @UriParam(label = "security")
    private String authTokenFile;
    @UriParam(label = "security,advanced")
    private Supplier<String> authTokenSupplier;
    @UriParam(label = "security")
    private SSLContextParameters sslContextParameters;
    @UriParam(label = "advanced", prefix = "httpHeader.", multiValue = true)
    private Map<String, Object> httpHeaders;
    @UriParam(label = "advanced", defaultValue = "10000")
    private long connectTimeout = 10000;
    @UriParam(defaultValue = "false")
    private boolean testConnectionOnStartup;
    @UriParam(label = "advanced", defaultValue = "1000")
    private long reconnectInitialDelay = 1000;
    @UriParam(label = "advanced", defaultValue = "30000")
    private long reconnectMaxDelay = 30000;
    @UriParam(label = "advanced", defaultValue = "0")
    private int maxReconnectAttempts;
    @UriParam(label = "advanced", defaultValue = "60000")
    private long refusedReconnectInitialDelay = 60000;
    @UriParam(label = "advanced", defaultValue = "300000")
    private long refusedReconnectMaxDelay = 300000;
    @UriParam(label = "advanced")
    @Metadata(autowired = true)
    private ElizaHttpClientFactory httpClientFactory;

    public String getUrl() {
        return url;
    }

    /**
     * The URL of the elizaOS server (http or https). Socket.IO connects to its /socket.io path.
     */
    public void setUrl(String url) {
        this.url = url;
    }

    public String getServerVersion() {
        return serverVersion;
    }

    /**
     * The elizaOS version of the server: auto (the default) reads it from the server when the connection is first
     * established (GET /api/system/version; when that is not reachable, the line is inferred from the REST routes the
     * server offers), and the component logs what it found. A version such as 1.4 or 1.6.5 skips that and is trusted:
     * use it when a gateway hides the server's version. The lines differ in their REST routes, whether messageComplete
     * ends an agent's turn (1.4 and earlier), streaming (1.7) and whether the Socket.IO handshake checks the API key
     * (1.6 and later); see docs/compatibility.md.
     */
    public void setServerVersion(String serverVersion) {
        this.serverVersion = serverVersion;
    }

    public String getApiKey() {
        return apiKey;
    }

    /**
     * The API key of the elizaOS server (its SERVER_API_KEY setting), sent in the Socket.IO handshake and as the
     * x-api-key header. Never logged.
     */
    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public String getAuthToken() {
        return authToken;
    }

    /**
     * A JWT for servers with data isolation (ENABLE_DATA_ISOLATION): sent in the Socket.IO handshake as auth.token and
     * to the REST API as Authorization: Bearer. Never logged.
     */
    public void setAuthToken(String authToken) {
        this.authToken = authToken;
    }

    public String getAuthTokenFile() {
        return authTokenFile;
    }

    /**
     * A file holding the auth token (a JWT, with data isolation), read again before every connect attempt and every
     * REST call (never on Socket.IO's thread), so that a token renewed on disk is picked up without a restart. Excludes
     * authToken.
     */
    public void setAuthTokenFile(String authTokenFile) {
        this.authTokenFile = authTokenFile;
    }

    public Supplier<String> getAuthTokenSupplier() {
        return authTokenSupplier;
    }

    /**
     * Supplies the auth token, for tokens that expire (from a vault, an OAuth client...): asked again before every
     * connect attempt (on a thread of the connection's own) and every REST call (on the HTTP client's thread), never on
     * Socket.IO's event thread, which carries the I/O of every connection of the JVM. It may block; an attempt waits
     * for it at most 10 seconds, then goes on with the token supplied last. Excludes authToken.
     */
    public void setAuthTokenSupplier(Supplier<String> authTokenSupplier) {
        this.authTokenSupplier = authTokenSupplier;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /**
     * TLS settings (trust store, key store, protocols) for https:// URLs. Without them the JVM's defaults apply.
     */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public Map<String, Object> getHttpHeaders() {
        return httpHeaders;
    }

    /**
     * Extra HTTP headers for the Socket.IO handshake and the REST calls, for proxies and gateways in front of the
     * server: httpHeader.X-Tenant=acme sends the header X-Tenant: acme.
     */
    public void setHttpHeaders(Map<String, Object> httpHeaders) {
        this.httpHeaders = httpHeaders;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * How long, in milliseconds, an exchange waits for the connection to the server (and the channel join) before it
     * fails; with testConnectionOnStartup, how long a route start waits for them.
     */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public boolean isTestConnectionOnStartup() {
        return testConnectionOnStartup;
    }

    /**
     * Whether a route start waits until the connection is up (and, for a consumer, its channel joined), and fails
     * when it is not within connectTimeout or the server refuses it. Off by default: consumers and producers start
     * without a reachable server, connect in the background with the reconnect policy, and report DOWN in their
     * health checks, with the reason, until they are connected; a consumer routes what is posted once it is
     * connected.
     */
    public void setTestConnectionOnStartup(boolean testConnectionOnStartup) {
        this.testConnectionOnStartup = testConnectionOnStartup;
    }

    public long getReconnectInitialDelay() {
        return reconnectInitialDelay;
    }

    /**
     * The delay, in milliseconds, before the first attempt to reconnect after the connection dropped; each further
     * attempt doubles it (with jitter) up to reconnectMaxDelay. Taken from the first endpoint that opens a shared
     * connection.
     */
    public void setReconnectInitialDelay(long reconnectInitialDelay) {
        this.reconnectInitialDelay = reconnectInitialDelay;
    }

    public long getReconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /**
     * The longest delay, in milliseconds, between two attempts to reconnect.
     */
    public void setReconnectMaxDelay(long reconnectMaxDelay) {
        this.reconnectMaxDelay = reconnectMaxDelay;
    }

    public long getRefusedReconnectInitialDelay() {
        return refusedReconnectInitialDelay;
    }

    /**
     * The delay, in milliseconds, before a connection the server (or a gateway in front of it) refused is tried again,
     * with the credentials read again (authTokenFile, authTokenSupplier): a key or token fixed on either side is found
     * without a restart. Each further refusal doubles it up to refusedReconnectMaxDelay; starting a route that uses
     * the connection tries again at once.
     */
    public void setRefusedReconnectInitialDelay(long refusedReconnectInitialDelay) {
        this.refusedReconnectInitialDelay = refusedReconnectInitialDelay;
    }

    public long getRefusedReconnectMaxDelay() {
        return refusedReconnectMaxDelay;
    }

    /**
     * The longest delay, in milliseconds, between two attempts to connect while the server refuses the connection.
     */
    public void setRefusedReconnectMaxDelay(long refusedReconnectMaxDelay) {
        this.refusedReconnectMaxDelay = refusedReconnectMaxDelay;
    }

    public int getMaxReconnectAttempts() {
        return maxReconnectAttempts;
    }

    /**
     * How many times to try to reconnect after the connection dropped before giving up (0 = forever, the default).
     * After giving up, consumers report DOWN and producers fail their exchanges until the routes are restarted.
     * A refused connection is tried again on its own schedule (refusedReconnectInitialDelay), forever.
     */
    public void setMaxReconnectAttempts(int maxReconnectAttempts) {
        this.maxReconnectAttempts = maxReconnectAttempts;
    }

    public ElizaHttpClientFactory getHttpClientFactory() {
        return httpClientFactory;
    }

    /**
     * Creates the HTTP client (OkHttp) of the connection, which carries both Socket.IO and the REST calls: to add a
     * proxy, interceptors or metrics. A single bean of this type in the registry is used automatically.
     */
    public void setHttpClientFactory(ElizaHttpClientFactory httpClientFactory) {
        this.httpClientFactory = httpClientFactory;
    }
}
