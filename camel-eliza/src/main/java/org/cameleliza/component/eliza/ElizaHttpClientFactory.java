package org.cameleliza.component.eliza;

import okhttp3.OkHttpClient;
import org.apache.camel.CamelContext;

/**
 * Creates the HTTP client of a connection. One client carries everything a connection sends: the Socket.IO transports
 * (HTTP long-polling and WebSocket) and the REST calls. Supply your own (an autowired bean, or the
 * {@code httpClientFactory} option) to add a proxy, interceptors or metrics; start from
 * {@link DefaultElizaHttpClientFactory#newBuilder(ElizaConnectionSettings, org.apache.camel.CamelContext)} to keep the
 * component's TLS and timeouts.
 * <p>
 * Every socket the component opens has TCP_NODELAY on, with a client of yours too: the component uses it through
 * {@link ElizaNoDelaySocketFactory#wrap(OkHttpClient)}, which keeps your socket factory (it still creates the sockets)
 * and sets the option on what it creates; a client from
 * {@link DefaultElizaHttpClientFactory#newBuilder(ElizaConnectionSettings, CamelContext)} already has it and is used as
 * it is. Your factory need do nothing, except behind a SOCKS proxy: OkHttp opens those sockets itself, past any socket
 * factory, and Nagle's algorithm stays on there (see {@link ElizaNoDelaySocketFactory} for what that costs).
 * <p>
 * A client from your factory is yours: the component never shuts it down (it may share its dispatcher and connection
 * pool with other clients through {@code OkHttpClient.newBuilder()}). The clients of the default factory are shut down
 * with their connection, threads included; a subclass of it owns its clients as any other factory does (override
 * {@link #release(OkHttpClient)} to close them, with {@link DefaultElizaHttpClientFactory#shutDown(OkHttpClient)} for a
 * client of one connection).
 */
@FunctionalInterface
public interface ElizaHttpClientFactory {

    OkHttpClient createClient(ElizaConnectionSettings settings, CamelContext context) throws Exception;

    /**
     * The connection that used {@code client} is closed. Does nothing: a client from your factory is yours, and may
     * serve other connections or your own code.
     */
    default void release(OkHttpClient client) {
    }
}
