package org.cameleliza.component.eliza;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Objects;

import javax.net.SocketFactory;

import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A socket factory that turns Nagle's algorithm off (TCP_NODELAY) on every socket another factory creates: the socket
 * factory of every HTTP client the component uses, so of every connection it makes (the Socket.IO WebSocket and
 * long-polling, and the REST calls).
 * <p>
 * A JVM socket has Nagle's algorithm on, and OkHttp 3.12 (the one io.socket 2.1 brings) never turns it off. Socket.IO
 * writes small frames one after the other; with Nagle a frame written while the one before is still unacknowledged
 * waits for that ACK, and a peer with nothing to send back delays its ACK: 40 ms on Linux. A frame of more than 8 KB,
 * which okio writes in pieces of 8 KB, can wait the same way on loopback. Node's servers turn it off on their side (its
 * http server by default, the ws library on every WebSocket); this is the client's side.
 */
public final class ElizaNoDelaySocketFactory extends SocketFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaNoDelaySocketFactory.class);

    private final SocketFactory delegate;

    /** Sockets of {@code delegate}, which still creates them, with TCP_NODELAY on. */
    public ElizaNoDelaySocketFactory(SocketFactory delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * The client itself when its sockets already come from this factory (the clients of
     * {@link DefaultElizaHttpClientFactory} and of builders started from it); otherwise a client made from it with its
     * own socket factory wrapped in this one. The two share their connection pool, dispatcher and everything else, so
     * closing or shutting down the client given still ends what the other runs.
     */
    public static OkHttpClient wrap(OkHttpClient client) {
        if (client.socketFactory() instanceof ElizaNoDelaySocketFactory) {
            return client;
        }
        return client.newBuilder().socketFactory(new ElizaNoDelaySocketFactory(client.socketFactory())).build();
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return noDelay(delegate.createSocket(address, port, localAddress, localPort));
    }

    private static Socket noDelay(Socket socket) {
        try {
            // before connect too (OkHttp creates its sockets unconnected): the option stays with the socket
            socket.setTcpNoDelay(true);
        } catch (SocketException e) {
            // a socket of the application's own factory that is no TCP socket (a Unix domain socket, say)
            LOG.debug("Cannot set TCP_NODELAY on {}: {}", socket, e.getMessage());
        }
        return socket;
    }

    /** Equal when wrapping the same factory: the clients made by {@link #wrap} still share pooled connections. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ElizaNoDelaySocketFactory
               && delegate.equals(((ElizaNoDelaySocketFactory) other).delegate);
    }

    @Override
    public int hashCode() {
        return delegate.hashCode() * 31 + 1;
    }
}
