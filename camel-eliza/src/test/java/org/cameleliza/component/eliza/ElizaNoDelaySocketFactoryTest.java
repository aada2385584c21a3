package org.cameleliza.component.eliza;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.SocketFactory;

import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.apache.camel.CamelContext;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every socket the component's HTTP clients open has TCP_NODELAY on (Nagle's algorithm off): the default factory's,
 * and a client of the application's own factory, on the WebSocket, the long-polling and the REST calls. The peer is a
 * bare server socket that accepts and never answers, so each client socket stays open to be looked at.
 */
class ElizaNoDelaySocketFactoryTest {

    private static final String AGENT = "2f1ae0e6-0a1c-4c8e-9f55-8f3f2b0f6f10";

    private ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    /** The application's own socket factory: keeps every socket it makes, to be looked at from the client's side. */
    static final class RecordingSocketFactory extends SocketFactory {
        final List<Socket> sockets = new CopyOnWriteArrayList<>();

        @Override
        public Socket createSocket() {
            Socket socket = new Socket();
            sockets.add(socket);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            throw new UnsupportedOperationException("OkHttp creates its sockets unconnected");
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException("OkHttp creates its sockets unconnected");
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException("OkHttp creates its sockets unconnected");
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException("OkHttp creates its sockets unconnected");
        }
    }

    @BeforeEach
    void acceptConnections() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (!server.isClosed()) {
                    accepted.add(server.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "no-delay-test-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void close() throws IOException {
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Test
    void theDefaultFactorysClientConnectsWithNoDelay() throws Exception {
        // the JVM's default, which the assertions below must not be mistaken for
        try (Socket plain = new Socket()) {
            assertThat(plain.getTcpNoDelay()).isFalse();
        }
        DefaultElizaHttpClientFactory factory = new DefaultElizaHttpClientFactory();
        CamelContext context = new DefaultCamelContext();
        ElizaConnectionSettings settings = new ElizaConnectionSettings(url(), UUID.randomUUID().toString(),
                new ElizaConfiguration(), null, factory);
        OkHttpClient client = factory.createClient(settings, context);
        // used as it is: no second client around it
        assertThat(ElizaNoDelaySocketFactory.wrap(client)).isSameAs(client);
        CompletableFuture<Boolean> noDelay = new CompletableFuture<>();
        OkHttpClient watched = client.newBuilder().eventListener(new EventListener() {
            @Override
            public void connectionAcquired(Call call, Connection connection) {
                try {
                    noDelay.complete(connection.socket().getTcpNoDelay());
                } catch (IOException e) {
                    noDelay.completeExceptionally(e);
                }
            }
        }).build();
        Call call = watched.newCall(new Request.Builder().url(url() + "/api/system/version").build());
        call.enqueue(new IgnoringCallback());
        try {
            assertThat(noDelay.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            call.cancel();
            DefaultElizaHttpClientFactory.shutDown(client);
        }
    }

    @Test
    void aClientOfTheApplicationsOwnKeepsItsSocketFactoryAndGetsNoDelayOnWebSocketAndCalls() throws Exception {
        RecordingSocketFactory own = new RecordingSocketFactory();
        OkHttpClient client = new OkHttpClient.Builder().socketFactory(own).build();
        OkHttpClient wrapped = ElizaNoDelaySocketFactory.wrap(client);
        assertThat(client.socketFactory()).isSameAs(own);
        assertThat(wrapped.dispatcher()).isSameAs(client.dispatcher());
        assertThat(wrapped.connectionPool()).isSameAs(client.connectionPool());
        WebSocket webSocket = wrapped.newWebSocket(new Request.Builder().url(url().replace("http", "ws")).build(),
                new WebSocketListener() {
                });
        Call call = wrapped.newCall(new Request.Builder().url(url() + "/api/system/version").build());
        call.enqueue(new IgnoringCallback());
        try {
            // made by the application's factory, connected, and still open (the server never answers)
            await().atMost(10, TimeUnit.SECONDS).until(() -> accepted.size() == 2 && own.sockets.size() == 2);
            for (Socket socket : own.sockets) {
                assertThat(socket.isConnected()).isTrue();
                assertThat(socket.getTcpNoDelay()).as("TCP_NODELAY of %s", socket).isTrue();
            }
        } finally {
            webSocket.cancel();
            call.cancel();
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    @Test
    void theComponentsConnectionsThroughAnApplicationsFactoryHaveNoDelay() throws Exception {
        RecordingSocketFactory own = new RecordingSocketFactory();
        OkHttpClient client = new OkHttpClient.Builder().socketFactory(own).build();
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("ownClients", (ElizaHttpClientFactory) (settings, camel) -> client);
        context.start();
        String base = "eliza:no-delay?url=" + url() + "&httpClientFactory=#ownClients&connectTimeout=500";
        Producer socketIo = context.getEndpoint(base + "&entityId=" + UUID.randomUUID()).createProducer();
        Producer rest = context.getEndpoint(base + "&transport=http&agentId=" + AGENT).createProducer();
        try {
            // the Socket.IO connection starts with long-polling; the http transport reads the server's version at start
            ServiceHelper.startService(socketIo);
            ServiceHelper.startService(rest);
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> own.sockets.stream().filter(Socket::isConnected).count() >= 2);
            int open = 0;
            for (Socket socket : own.sockets) {
                // a socket closed since (a call ended) cannot be asked any more
                if (socket.isConnected() && !socket.isClosed()) {
                    assertThat(socket.getTcpNoDelay()).as("TCP_NODELAY of %s", socket).isTrue();
                    open++;
                }
            }
            assertThat(open).isGreaterThanOrEqualTo(2);
        } finally {
            ServiceHelper.stopService(socketIo, rest);
            context.stop();
            client.dispatcher().cancelAll();
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static final class IgnoringCallback implements okhttp3.Callback {
        @Override
        public void onFailure(Call call, IOException e) {
            // cancelled at the end of the test
        }

        @Override
        public void onResponse(Call call, okhttp3.Response response) {
            response.close();
        }
    }
}
