package org.cameleliza.component.eliza;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElizaAnswerStreamTest {

    private final AtomicReference<String> completed = new AtomicReference<>();
    private final ElizaAnswerStream stream = new ElizaAnswerStream(5000, "answer of agent A", completed::set);

    private List<String> readAll() {
        List<String> chunks = new ArrayList<>();
        stream.forEachRemaining(chunks::add);
        return chunks;
    }

    @Test
    void chunksComeInOrderAndAddUpToTheAnswer() {
        stream.chunk("Hello, ");
        stream.chunk("wor");
        stream.chunk("ld");
        stream.complete("Hello, world");

        assertThat(readAll()).containsExactly("Hello, ", "wor", "ld");
        assertThat(stream.getText()).isEqualTo("Hello, world");
        assertThat(completed.get()).isEqualTo("Hello, world");
        assertThat(stream.hasNext()).isFalse();
        assertThatThrownBy(stream::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void whatTheChunksMissedComesAsALastChunk() {
        stream.chunk("Hello");
        stream.complete("Hello, world");

        assertThat(readAll()).containsExactly("Hello", ", world");
        assertThat(stream.getText()).isEqualTo("Hello, world");
    }

    @Test
    void anAnswerWithoutChunksComesAsOneChunk() {
        stream.complete("Hello, world");

        assertThat(readAll()).containsExactly("Hello, world");
        assertThat(completed.get()).isEqualTo("Hello, world");
    }

    @Test
    void noAnswerAtAllIsAnEmptyStream() {
        stream.complete(null);

        assertThat(readAll()).isEmpty();
        assertThat(stream.getText()).isEmpty();
        assertThat(completed.get()).isEmpty();
    }

    @Test
    void emptyChunksAreSkipped() {
        stream.chunk("");
        stream.chunk(null);
        stream.chunk("a");
        stream.complete("a");

        assertThat(readAll()).containsExactly("a");
    }

    @Test
    void aFailureAfterChunksThrowsWithWhatCame() {
        stream.chunk("Hel");
        stream.chunk("lo");
        stream.fail("the connection was lost", null, null);

        assertThat(stream.next()).isEqualTo("Hel");
        assertThat(stream.next()).isEqualTo("lo");
        assertThatThrownBy(stream::hasNext)
                .isInstanceOfSatisfying(ElizaStreamException.class, e -> {
                    assertThat(e.getPartialText()).isEqualTo("Hello");
                    assertThat(e.getMessage()).contains("answer of agent A", "after 5 characters",
                            "the connection was lost");
                });
        // the stream has ended: no second exception, no completion
        assertThat(stream.hasNext()).isFalse();
        assertThat(stream.getText()).isNull();
        assertThat(completed.get()).isNull();
    }

    @Test
    void theServersPartialTextIsTheOneReported() {
        stream.chunk("Hel");
        stream.fail("model error", "Hello, wo", null);

        assertThat(stream.next()).isEqualTo("Hel");
        assertThatThrownBy(stream::next)
                .isInstanceOfSatisfying(ElizaStreamException.class,
                        e -> assertThat(e.getPartialText()).isEqualTo("Hello, wo"));
    }

    @Test
    void theFirstEndCounts() {
        stream.chunk("a");
        stream.fail("first", null, null);
        stream.complete("ab");
        stream.fail("second", null, null);

        assertThat(stream.next()).isEqualTo("a");
        assertThatThrownBy(stream::next).hasMessageContaining("first");
        assertThat(stream.hasNext()).isFalse();
    }

    @Test
    void aFailureAfterTheCompletionIsIgnored() {
        stream.chunk("a");
        stream.complete("ab");
        stream.fail("too late", null, null);

        assertThat(readAll()).containsExactly("a", "b");
        assertThat(stream.getText()).isEqualTo("ab");
    }

    @Test
    void chunksThatAreNotTheBeginningOfTheAnswerFailTheStream() {
        stream.chunk("Hello, wrld");
        stream.complete("Hello, world");

        assertThat(stream.next()).isEqualTo("Hello, wrld");
        assertThatThrownBy(stream::hasNext)
                .isInstanceOfSatisfying(ElizaStreamException.class, e -> {
                    assertThat(e.getMessage()).contains("do not add up to the answer the server stored");
                    assertThat(e.getPartialText()).isEqualTo("Hello, wrld");
                });
        assertThat(stream.getText()).isNull();
    }

    @Test
    void noChunkWithinTheIdleTimeoutFailsTheStream() {
        ElizaAnswerStream idle = new ElizaAnswerStream(200, "answer of agent A", null);
        idle.chunk("partial");

        assertThat(idle.next()).isEqualTo("partial");
        assertThatThrownBy(idle::hasNext)
                .isInstanceOfSatisfying(ElizaStreamException.class, e -> {
                    assertThat(e.getPartialText()).isEqualTo("partial");
                    assertThat(e.getMessage()).contains("no chunk came within 200 ms");
                });
    }

    @Test
    void chunksFedFromAnotherThreadAreReadAsTheyCome() throws Exception {
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                stream.chunk(i + ",");
            }
            stream.complete(null);
        });
        writer.start();
        List<String> chunks = readAll();
        writer.join();

        assertThat(chunks).hasSize(100);
        assertThat(String.join("", chunks)).startsWith("0,1,2,").endsWith("98,99,");
        assertThat(stream.getText()).isEqualTo(String.join("", chunks));
    }
}
