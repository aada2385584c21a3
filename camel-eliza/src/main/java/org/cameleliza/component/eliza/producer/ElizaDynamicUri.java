package org.cameleliza.component.eliza.producer;

import java.net.URI;
import java.net.URISyntaxException;

import org.apache.camel.util.URISupport;
import org.apache.camel.util.UnsafeUriCharactersEncoder;

/**
 * What a {@code toD} to an eliza: URI whose channel is computed per message becomes (see
 * {@link ElizaSendDynamicAware}): the static URI of the one endpoint that serves every channel, and the channel of this
 * message, which goes into the {@code CamelElizaChannel} header.
 * <p>
 * The static URI is the evaluated URI with its channel replaced by the channel as the route wrote it (say
 * {@code ${header.room}}), as camel-jms does with a destination: the options stay as evaluated, so each set of options
 * still gets an endpoint of its own. Pure functions of the two strings.
 *
 * @param staticUri the URI of the endpoint to send to
 * @param channel   the message's channel, as the endpoint of the evaluated URI would have it (decoded)
 */
public record ElizaDynamicUri(String staticUri, String channel) {

    /**
     * The static URI and the channel for an evaluated URI, or null when the channel is not computed per message (the
     * route wrote it as it is, or the URI is not one of this scheme): Camel's own {@code toD} then does as usual.
     *
     * @param scheme      the component's scheme (eliza, or the name another instance was registered under)
     * @param uri         the evaluated URI, property placeholders resolved
     * @param originalUri the URI as the route wrote it, property placeholders resolved
     */
    public static ElizaDynamicUri parse(String scheme, String uri, String originalUri) {
        if (scheme == null || uri == null || originalUri == null) {
            return null;
        }
        int start = pathStart(scheme, uri);
        int originalStart = pathStart(scheme, originalUri);
        if (start < 0 || originalStart < 0) {
            return null;
        }
        int end = uri.indexOf('?', start);
        end = end < 0 ? uri.length() : end;
        String channel = uri.substring(start, end);
        String original = originalUri.substring(originalStart, expressionEnd(originalUri, originalStart));
        if (channel.isEmpty() || original.isEmpty() || channel.equals(original)) {
            return null;
        }
        return new ElizaDynamicUri(uri.substring(0, start) + original + uri.substring(end), decode(scheme, channel));
    }

    /** Where the channel starts: after {@code scheme:} and an optional {@code //}; -1 when not of that scheme. */
    private static int pathStart(String scheme, String uri) {
        String prefix = scheme + ":";
        if (!uri.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return -1;
        }
        int start = prefix.length();
        return uri.startsWith("//", start) ? start + 2 : start;
    }

    /**
     * Where the channel of the route's URI ends: at its first {@code ?} outside an expression, so that
     * {@code ${header.room ?: 'lobby'}} is the channel, not the start of the options.
     */
    static int expressionEnd(String uri, int start) {
        int depth = 0;
        for (int i = start; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (c == '?' && depth == 0) {
                return i;
            }
        }
        return uri.length();
    }

    /**
     * The channel as the endpoint of the evaluated URI would get it: Camel encodes the characters a URI may not hold
     * and decodes the path (so {@code a%20b} and {@code a b} are both the channel "a b").
     */
    static String decode(String scheme, String channel) {
        try {
            return URISupport.extractRemainderPath(new URI(UnsafeUriCharactersEncoder.encode(scheme + "://" + channel)),
                    false);
        } catch (URISyntaxException e) {
            return channel;
        }
    }
}
