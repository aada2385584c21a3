package org.cameleliza.component.eliza;

import java.util.Objects;

/**
 * What makes two endpoints share one Socket.IO connection: the server, the entity they act as, and the credentials.
 * {@link #toString()} never shows the credentials.
 */
public final class ElizaConnectionKey {

    private final String url;
    private final String entityId;
    private final String apiKey;
    private final String authToken;

    public ElizaConnectionKey(String url, String entityId, String apiKey, String authToken) {
        this.url = Objects.requireNonNull(url, "url");
        this.entityId = Objects.requireNonNull(entityId, "entityId");
        this.apiKey = apiKey;
        this.authToken = authToken;
    }

    public String getUrl() {
        return url;
    }

    public String getEntityId() {
        return entityId;
    }

    String getApiKey() {
        return apiKey;
    }

    String getAuthToken() {
        return authToken;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ElizaConnectionKey)) {
            return false;
        }
        ElizaConnectionKey other = (ElizaConnectionKey) o;
        return url.equals(other.url) && entityId.equals(other.entityId) && Objects.equals(apiKey, other.apiKey)
                && Objects.equals(authToken, other.authToken);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, entityId, apiKey, authToken);
    }

    @Override
    public String toString() {
        return url + " as entity " + entityId + (apiKey != null ? " (with api key)" : "")
               + (authToken != null ? " (with auth token)" : "");
    }
}
