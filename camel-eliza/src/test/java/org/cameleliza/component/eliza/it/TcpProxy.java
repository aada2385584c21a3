package org.cameleliza.component.eliza.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

/**
 * A TCP proxy on loopback between the component and the Eliza server, for fault tests. It counts connections, keeps
 * the first bytes each client sent (to check request headers), can stop forwarding on its open connections without
 * closing them (a half-open connection, as a dead NAT or a frozen peer leaves it), and can terminate TLS.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> firstRequests = new CopyOnWriteArrayList<>();
    private final List<AtomicBoolean> openLinks = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;

    private TcpProxy(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A plain TCP proxy to 127.0.0.1:targetPort. */
    public static TcpProxy to(int targetPort) throws IOException {
        return new TcpProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
    }

    /** A proxy that terminates TLS with the given server context and forwards plain TCP to 127.0.0.1:targetPort. */
    public static TcpProxy tlsTo(int targetPort, SSLContext serverContext) throws IOException {
        return new TcpProxy(serverContext.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress()), targetPort);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How many client connections the proxy accepted. */
    public int connections() {
        return connections.get();
    }

    /** The first bytes (up to 4 KiB, as text) each client connection sent: its HTTP request line and headers. */
    public List<String> firstRequests() {
        return firstRequests;
    }

    /** From now on, the connections open now carry no more bytes in either direction, and stay open. New ones work. */
    public void freezeOpenConnections() {
        openLinks.forEach(link -> link.set(true));
    }

    /** Closes every open connection at once, as a crashed peer or a network cut does. */
    public void closeOpenConnections() {
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** While refusing, new connections are closed as soon as they are accepted. */
    public void setRefusing(boolean refusing) {
        this.refusing = refusing;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                AtomicBoolean frozen = new AtomicBoolean();
                openLinks.add(frozen);
                pump(client, upstream, true, frozen);
                pump(upstream, client, false, frozen);
            } catch (IOException e) {
                // closed, or the target is down: the client sees its connection closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean record, AtomicBoolean frozen) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            boolean first = record;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (first) {
                        firstRequests.add(new String(buffer, 0, Math.min(n, 4096), StandardCharsets.ISO_8859_1));
                        first = false;
                    }
                    if (frozen.get()) {
                        // swallow everything, close nothing: the peer cannot tell the connection is dead
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                if (!frozen.get()) {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // ignore
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(TcpProxy::closeQuietly);
    }
}
