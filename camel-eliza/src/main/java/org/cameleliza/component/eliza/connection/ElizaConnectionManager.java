package org.cameleliza.component.eliza.connection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.cameleliza.component.eliza.ElizaConnectionSettings;

/**
 * Keeps one {@link ElizaConnection} per {@link ElizaConnectionSettings} for a component, reference-counted: opened by
 * its first user and closed when its last user releases it. A connection that was refused or gave up is replaced when
 * a route starts again.
 */
public final class ElizaConnectionManager {

    private final Map<ElizaConnectionSettings, ElizaConnection> connections = new HashMap<>();
    // per server: its REST budget is per client address, whichever connection spends it
    private final Map<String, ElizaRecoveryQueue.Pace> recoveryPaces = new HashMap<>();
    private int recoveryBurst = 50;
    private int recoveryReadsPerMinute = 20;

    /** The pace of gap recovery reads for the connections opened from now on (the component's options). */
    public synchronized void setRecoveryPace(int burst, int readsPerMinute) {
        // fails on bad values now, not when a connection opens
        new ElizaRecoveryQueue.Pace(burst, readsPerMinute);
        this.recoveryBurst = burst;
        this.recoveryReadsPerMinute = readsPerMinute;
        recoveryPaces.clear();
    }

    public synchronized ElizaConnection acquire(ElizaConnectionSettings settings, CamelContext context) throws Exception {
        ElizaConnection connection = connections.get(settings);
        if (connection == null || connection.getState().isFinal()) {
            // an abandoned connection stays with its users until they release it
            ElizaRecoveryQueue.Pace pace = recoveryPaces.computeIfAbsent(settings.getUrl(),
                    url -> new ElizaRecoveryQueue.Pace(recoveryBurst, recoveryReadsPerMinute));
            connection = new ElizaConnection(settings, context, pace);
            connections.put(settings, connection);
            connection.open();
        } else if (connection.getState() == ElizaConnection.State.REJECTED) {
            // a route starting (perhaps after the server's key was fixed) need not wait for the refusal's backoff
            connection.retryIfRefused();
        }
        connection.retain();
        return connection;
    }

    public void release(ElizaConnection connection) {
        boolean last;
        synchronized (this) {
            last = connection.release() <= 0;
            if (last) {
                connections.remove(connection.getSettings(), connection);
            }
        }
        if (last) {
            // outside the lock: closing waits for the connection's thread, and nobody else should wait for that
            connection.close();
        }
    }

    /** The open connection for these settings, or null. */
    public synchronized ElizaConnection find(ElizaConnectionSettings settings) {
        return connections.get(settings);
    }

    public synchronized List<ElizaConnection> getConnections() {
        return new ArrayList<>(connections.values());
    }

    public void closeAll() {
        List<ElizaConnection> open;
        synchronized (this) {
            open = new ArrayList<>(connections.values());
            connections.clear();
        }
        open.forEach(ElizaConnection::close);
    }
}
