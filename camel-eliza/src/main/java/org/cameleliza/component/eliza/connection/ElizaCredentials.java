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
 * supplier before every (re)connect and every REST call, so that an expiring token can be replaced while the
 * application runs. {@link #toString()} never shows a credential.
 */
public final class ElizaCredentials {

    private final String apiKey;
    private final String authToken;
    private final String authTokenFile;
    private final Supplier<String> authTokenSupplier;

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

    boolean hasAuthToken() {
        return authToken != null || authTokenFile != null || authTokenSupplier != null;
    }

    /**
     * The auth token to send now, or null when there is none.
     *
     * @throws ElizaAuthenticationException when the token file or supplier cannot give one
     */
    public String currentAuthToken() throws ElizaAuthenticationException {
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
