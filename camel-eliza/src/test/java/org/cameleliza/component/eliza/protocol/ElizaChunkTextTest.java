package org.cameleliza.component.eliza.protocol;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ElizaChunkTextTest {

    /** What the chunks give out, joined. */
    private static String stream(String... chunks) {
        ElizaChunkText text = new ElizaChunkText();
        StringBuilder out = new StringBuilder();
        for (String chunk : chunks) {
            out.append(text.push(chunk));
        }
        return out.toString();
    }

    /** The server's stored text: the element's whole text unescaped, then trimmed. */
    private static String stored(String raw) {
        return ElizaChunkText.unescape(raw).strip();
    }

    @Test
    void plainTextPassesAsItComes() {
        ElizaChunkText text = new ElizaChunkText();
        assertThat(text.push("Hello")).isEqualTo("Hello");
        assertThat(text.push(", world")).isEqualTo(", world");
    }

    @Test
    void escapesAreReplacedAsTheServerDoes() {
        assertThat(stream("Q&amp;A: 1 &lt; 2 &amp;&amp; 3 &gt; 2, &quot;yes&quot; &apos;no&apos;"))
                .isEqualTo("Q&A: 1 < 2 && 3 > 2, \"yes\" 'no'");
    }

    @Test
    void anEscapeCutInTwoWaitsForItsEnd() {
        ElizaChunkText text = new ElizaChunkText();
        assertThat(text.push("Q&am")).isEqualTo("Q");
        assertThat(text.push("p;A")).isEqualTo("&A");
    }

    @Test
    void aLoneAmpersandIsGivenOutOnceItCannotBeAnEscape() {
        ElizaChunkText text = new ElizaChunkText();
        assertThat(text.push("Q&")).isEqualTo("Q");
        assertThat(text.push("A and more")).isEqualTo("&A and more");
    }

    @Test
    void theTextIsTrimmedAsTheStoredAnswerIs() {
        ElizaChunkText text = new ElizaChunkText();
        assertThat(text.push("\n  ")).isEmpty();
        assertThat(text.push("  Hello ")).isEqualTo("Hello");
        assertThat(text.push(" world\n")).isEqualTo("  world");
        assertThat(text.push("  ")).isEmpty();
    }

    @Test
    void anyCutOfTheTextAddsUpToTheStoredAnswer() {
        String raw = "\n  Caf\u00e9 &amp; bar: a &lt;b&gt; tag, &quot;quoted&quot;, it&apos;s &amp;amp; more  \n";
        for (int size : List.of(1, 2, 3, 5, 7, 16)) {
            String[] chunks = raw.split("(?<=\\G.{" + size + "})");
            assertThat(stream(chunks)).as("chunks of " + size).isEqualTo(stored(raw));
        }
    }
}
