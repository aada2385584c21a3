package org.cameleliza.component.eliza.connection;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.socket.client.Socket;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;

/**
 * Emits the SEND_MESSAGE packets of one connection: only while it is up (Socket.IO's send buffer would replay a
 * message emitted while down after a reconnect, unasked), each registered with the {@link ElizaAckTracker} right before
 * its emit, on Socket.IO's thread, so that the tracker's order is the order on the wire.
 */
final class ElizaSender {

    private final ElizaConnection connection;
    private final ElizaConnectionLifecycle lifecycle;
    private final ElizaEventLoop loop;
    private final Socket socket;
    private final ElizaServerInfo serverInfo;
    private final ElizaAckTracker acks;

    ElizaSender(ElizaConnection connection, ElizaConnectionLifecycle lifecycle, ElizaEventLoop loop, Socket socket,
                ElizaServerInfo serverInfo, ElizaAckTracker acks) {
        this.connection = connection;
        this.lifecycle = lifecycle;
        this.loop = loop;
        this.socket = socket;
        this.serverInfo = serverInfo;
        this.acks = acks;
    }

    /**
     * Emits a SEND_MESSAGE whose ack completes {@code ack}. On any thread for a one-way send; {@code ordered} (a
     * request's, whose ack is handled in order with the server's events) on the connection's thread. A message whose
     * client message id is still waiting for its ack is not emitted: {@code ack} fails (see {@link ElizaAckTracker#add}).
     */
    void emit(ElizaOutgoingMessage message, long ackTimeoutMillis, CompletableFuture<Map<String, Object>> ack,
              boolean ordered) {
        if (lifecycle.state() != ElizaConnection.State.CONNECTED) {
            // never handed to Socket.IO while down: its send buffer would replay it after a reconnect, unasked
            ack.completeExceptionally(lifecycle.notConnected());
            return;
        }
        ElizaProtocol.Json envelope = message.envelope(serverInfo.messageServerId());
        String id = message.clientMessageId();
        String messageServerId = message.messageServerId(serverInfo.messageServerId());
        // registered right before the emit, on Socket.IO's thread: the tracker's order is the order on the wire, which
        // attributing a messageError relies on
        loop.run(() -> {
            if (!acks.add(id, messageServerId, ack, ackTimeoutMillis, ordered)) {
                // another send with this client message id waits for its ack: refused, and its future failed
                return;
            }
            // lost or closed since the check above (perhaps after every pending send was failed), or the socket is
            // down: never handed to Socket.IO then
            if (lifecycle.state() != ElizaConnection.State.CONNECTED || !socket.connected()) {
                Runnable fail = () -> acks.fail(id, lifecycle.notConnected());
                if (ordered) {
                    // a request's ack, failed or not, is handled on the connection's thread
                    connection.execute(fail);
                } else {
                    fail.run();
                }
                return;
            }
            socket.emit(ElizaProtocol.EMIT_MESSAGE, envelope.argument());
        });
    }
}
