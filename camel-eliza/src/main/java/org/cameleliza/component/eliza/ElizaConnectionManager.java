package org.cameleliza.component.eliza;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps one {@link ElizaConnection} per {@link ElizaConnectionKey} for a component, reference-counted: opened by its
 * first user and closed when its last user releases it.
 */
public class ElizaConnectionManager {

    private final Map<ElizaConnectionKey, ElizaConnection> connections = new HashMap<>();

    public synchronized ElizaConnection acquire(ElizaConnectionKey key) {
        ElizaConnection connection = connections.get(key);
        if (connection == null) {
            connection = new ElizaConnection(key);
            connections.put(key, connection);
            connection.open();
        }
        connection.retain();
        return connection;
    }

    public synchronized void release(ElizaConnection connection) {
        if (connection.release() <= 0) {
            connections.remove(connection.getKey(), connection);
            connection.close();
        }
    }

    public synchronized List<ElizaConnection> getConnections() {
        return new ArrayList<>(connections.values());
    }

    public synchronized void closeAll() {
        connections.values().forEach(ElizaConnection::close);
        connections.clear();
    }
}
