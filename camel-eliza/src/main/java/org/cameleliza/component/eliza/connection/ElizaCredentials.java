package org.cameleliza.component.eliza.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

import org.cameleliza.component.eliza.ElizaAuthenticationException;

/**
 * The credentials of a connection. The api key is fixed; the auth token is either fixed, or read again from a file or a
 * supplier before every reconnect, so that an expiring token can be replaced while the application runs. Reading may
 * block (a file, a vault behind a supplier), so it is done by {@link #readAuthToken()} off Socket.IO's thread, and
 * everything else takes the token as last read ({@link #authToken()}). {@link #toString()} never shows a credential.
 */
public final class ElizaCredentials {

    private final String apiKey;
    private final String authToken;
    private final String authTokenFile;
    private final Supplier<String> authTokenSupplier;
    // the token the file or supplier gave at its last read
    private volatile String lastRead;

    public ElizaCredentials(String apiKey, String authToken, String authTokenFile, Supplier<String> authTokenSupplier) {
        this.apiKey = blankToNull(apiKey);
        this.authToken = blankToNull(authToken);
        this.authTokenFile = blankToNull(authTokenFile);
        this.authTokenSupplier = authTokenSupplier;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    public String apiKey() {
        return apiKey;
    }

    /** Whether the token comes from a file or a supplier, and so is read again (which may block). */
    public boolean readsToken() {
        return authTokenFile != null || authTokenSupplier != null;
    }

    boolean hasAuthToken() {
        return authToken != null || authTokenFile != null || authTokenSupplier != null;
    }

    /**
     * The auth token as last read (the fixed one when it is fixed), or null when there is none. Never blocks: any
     * thread.
     */
    public String authToken() {
        return readsToken() ? lastRead : authToken;
    }

    /**
     * Reads the auth token from its file or supplier now, and keeps it for {@link #authToken()}. May block: never on
     * Socket.IO's thread.
     *
     * @throws ElizaAuthenticationException when the token file or supplier cannot give one (the last token read is kept)
     */
    public String readAuthToken() throws ElizaAuthenticationException {
        String token = readSource();
        lastRead = token;
        return token;
    }

    private String readSource() throws ElizaAuthenticationException {
        if (authTokenSupplier != null) {
            String token;
            try {
                token = authTokenSupplier.get();
            } catch (RuntimeException e) {
                throw new ElizaAuthenticationException("The authTokenSupplier failed: " + e.getClass().getSimpleName());
            }
            return blankToNull(token);
        }
        if (authTokenFile != null) {
            try {
                return blankToNull(Files.readString(Path.of(authTokenFile), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new ElizaAuthenticationException("Cannot read the authTokenFile " + authTokenFile + ": "
                                                       + e.getClass().getSimpleName());
            }
        }
        return authToken;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ElizaCredentials)) {
            return false;
        }
        ElizaCredentials other = (ElizaCredentials) o;
        return Objects.equals(apiKey, other.apiKey) && Objects.equals(authToken, other.authToken)
                && Objects.equals(authTokenFile, other.authTokenFile) && authTokenSupplier == other.authTokenSupplier;
    }

    @Override
    public int hashCode() {
        return Objects.hash(apiKey, authToken, authTokenFile, System.identityHashCode(authTokenSupplier));
    }

    @Override
    public String toString() {
        return (apiKey != null ? " (with api key)" : "") + (hasAuthToken() ? " (with auth token)" : "");
    }
}
