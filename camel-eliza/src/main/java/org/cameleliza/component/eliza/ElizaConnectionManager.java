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

    public synchronized ElizaConnection acquire(ElizaConnectionSettings settings) {
        ElizaConnectionKey key = settings.getKey();
        ElizaConnection connection = connections.get(key);
        if (connection == null || connection.getState() == ElizaConnection.State.REJECTED
                || connection.getState() == ElizaConnection.State.FAILED) {
            // a refused or abandoned connection is not reused by a route that starts again: it gets a fresh try
            connection = new ElizaConnection(settings);
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

    /** The open connection for a key, or null. */
    public synchronized ElizaConnection find(ElizaConnectionKey key) {
        return connections.get(key);
    }

    public synchronized List<ElizaConnection> getConnections() {
        return new ArrayList<>(connections.values());
    }

    public synchronized void closeAll() {
        connections.values().forEach(ElizaConnection::close);
        connections.clear();
    }
}
