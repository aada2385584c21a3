package org.cameleliza.component.eliza.rest;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server-sent events as elizaOS 1.7 writes them ({@code event: name\ndata: json\n\n}) and as the standard allows.
 */
class ElizaSseParserTest {

    private final List<String> events = new ArrayList<>();
    private final ElizaSseParser parser = new ElizaSseParser((event, data) -> events.add(event + "=" + data));

    private void feed(String stream) {
        // as a reader splits it: on line feeds, the last line without one
        for (String line : stream.split("\n", -1)) {
            parser.line(line);
        }
    }

    @Test
    void elizaOsFramesAreDispatchedInOrder() {
        feed("event: user_message\ndata: {\"id\":\"m1\"}\n\n"
             + "event: chunk\ndata: {\"chunk\":\"Hel\",\"index\":0}\n\n"
             + "event: chunk\ndata: {\"chunk\":\"lo\",\"index\":1}\n\n"
             + "event: done\ndata: {\"text\":\"Hello\"}\n\n");

        assertThat(events).containsExactly("user_message={\"id\":\"m1\"}", "chunk={\"chunk\":\"Hel\",\"index\":0}",
                "chunk={\"chunk\":\"lo\",\"index\":1}", "done={\"text\":\"Hello\"}");
        assertThat(parser.inEvent()).isFalse();
    }

    @Test
    void dataLinesAreJoinedCommentsAndOtherFieldsIgnoredCarriageReturnsDropped() {
        feed(": keep-alive\r\nid: 7\r\nretry: 1000\r\ndata:first\r\ndata: second\r\n\r\n");

        assertThat(events).containsExactly("message=first\nsecond");
    }

    @Test
    void anEventWithoutDataIsNotDispatchedAndItsNameDoesNotCarryOver() {
        feed("event: chunk\n\ndata: x\n\n");

        assertThat(events).containsExactly("message=x");
    }

    @Test
    void aStreamCutInTheMiddleOfAnEventLeavesItUndispatched() {
        feed("event: chunk\ndata: {\"chunk\":\"a\"}\n\nevent: chunk\ndata: {\"chunk\":\"b\"}");

        assertThat(events).containsExactly("chunk={\"chunk\":\"a\"}");
        assertThat(parser.inEvent()).isTrue();
    }
}
