package org.cameleliza.component.eliza.protocol;

/**
 * The text of an answer streamed by elizaOS 1.7, chunk by chunk, as the server stores it. The server relays what the
 * model writes inside the {@code <text>} element of its XML, as written (@elizaos/core's ResponseStreamExtractor): XML
 * escapes such as {@code &amp;} included, and the whitespace around the text. The stored answer is that element parsed
 * (parseKeyValueXml): {@code &lt; &gt; &amp; &quot; &apos;} replaced, in that order, and trimmed. This does the same to
 * the chunks as they come, holding back what the next chunk may change (an escape cut in two, trailing whitespace), so
 * that the chunks add up to the stored answer. What is still held at the end is dropped: the answer's final text
 * delivers any rest. One per streamed answer; not thread-safe.
 */
public final class ElizaChunkText {

    /** The longest escape without its ';': "&apos". */
    private static final int LONGEST_ESCAPE = 5;

    // raw text not decoded yet: an escape that may be cut
    private final StringBuilder raw = new StringBuilder();
    // decoded whitespace not given out yet: it is the end of the answer, trimmed, unless more text follows
    private final StringBuilder blank = new StringBuilder();
    private boolean started;

    /** The text of the next chunk, as far as it is known; "" when nothing of it can be given out yet. */
    public String push(String chunk) {
        raw.append(chunk);
        int ampersand = raw.lastIndexOf("&");
        int hold = ampersand >= 0 && raw.indexOf(";", ampersand) < 0 && raw.length() - ampersand <= LONGEST_ESCAPE
                ? ampersand : raw.length();
        String decoded = unescape(raw.substring(0, hold));
        raw.delete(0, hold);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (isBlank(c)) {
                if (started) {
                    blank.append(c);
                }
            } else {
                started = true;
                out.append(blank).append(c);
                blank.setLength(0);
            }
        }
        return out.toString();
    }

    /** As the server unescapes the element's text: each escape replaced everywhere, one after the other. */
    static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", "\"")
                .replace("&apos;", "'");
    }

    /** What JavaScript's trim() removes. */
    static boolean isBlank(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
    }
}
