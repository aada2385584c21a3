package org.cameleliza.component.eliza.connection;

import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaConnectionSettings;

/**
 * The exceptions that say why a connection is not up, from its state and its last error: what a caller of a connection
 * that cannot send is told. Values only: the {@link ElizaConnectionLifecycle} owns the state.
 */
final class ElizaConnectionErrors {

    private final ElizaConnectionSettings settings;

    ElizaConnectionErrors(ElizaConnectionSettings settings) {
        this.settings = settings;
    }

    /** Why nothing can be sent now: the refusal, the close, or the last connection error. */
    Exception notConnected(ElizaConnection.State state, String lastError) {
        if (state == ElizaConnection.State.REJECTED) {
            return new ElizaAuthenticationException(rejectionMessage(lastError));
        }
        if (state == ElizaConnection.State.CLOSED) {
            return closed();
        }
        return new ElizaConnectionException("Not connected to the Eliza server at " + settings.displayUrl()
                                            + (lastError != null ? ": " + lastError : ""));
    }

    /** Why a wait for the connection ended without it. */
    Exception notConnectedWithin(ElizaConnection.State state, String lastError, long timeoutMillis) {
        if (state == ElizaConnection.State.REJECTED) {
            return new ElizaAuthenticationException(rejectionMessage(lastError));
        }
        return new ElizaConnectionException("Could not connect to the Eliza server at " + settings.displayUrl()
                                            + " within " + timeoutMillis + " ms"
                                            + (lastError != null ? ": " + lastError : ""));
    }

    String rejectionMessage(String reason) {
        return "The Eliza server at " + settings.displayUrl() + " refused the connection: " + reason
               + ". Check the apiKey option (the server's SERVER_API_KEY), the authToken option and the entityId option";
    }

    ElizaConnectionException closed() {
        return new ElizaConnectionException("The connection to " + settings.displayUrl() + " was closed");
    }
}
