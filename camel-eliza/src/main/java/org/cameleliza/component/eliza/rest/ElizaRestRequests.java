package org.cameleliza.component.eliza.rest;

import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.cameleliza.component.eliza.ElizaConnectionSettings;
import org.cameleliza.component.eliza.connection.ElizaCredentials;

/**
 * The requests of the component to a server's REST API: its URL, the endpoint's HTTP headers, and the credentials
 * (X-API-KEY, a Bearer token), which are never logged nor put in an error.
 */
final class ElizaRestRequests {

    static final MediaType JSON = MediaType.parse("application/json; charset=utf-8");

    private ElizaRestRequests() {
    }

    /** A request for {@code path} (from the server's root, such as /api/messaging/...), with a JSON body or none. */
    static Request.Builder builder(ElizaConnectionSettings settings, String method, String path, String json) {
        String url = settings.getUrl();
        String root = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        Request.Builder builder = new Request.Builder().url(root + path)
                .method(method, json != null ? RequestBody.create(JSON, json) : null);
        settings.getHttpHeaders().forEach(builder::header);
        ElizaCredentials credentials = settings.getCredentials();
        if (credentials.apiKey() != null) {
            builder.header("X-API-KEY", credentials.apiKey());
        }
        // as last read: a token from a file or a supplier is read again on OkHttp's thread (ElizaRestClient's interceptor)
        String token = credentials.authToken();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    /** The path without its query, as errors and the budget's log name a request. */
    static String pathOnly(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }
}
