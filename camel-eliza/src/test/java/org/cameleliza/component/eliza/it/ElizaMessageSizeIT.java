package org.cameleliza.component.eliza.it;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaInvalidMessageException;
import org.cameleliza.component.eliza.ElizaUnacknowledgedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 1,000,000-byte packet limit, proven against the real server at the boundary: what the producer lets through the
 * server takes, and one byte more would cost the whole connection.
 */
class ElizaMessageSizeIT extends CamelTestSupport {

    // a server of its own: the connection it drops on purpose must not be one other tests share
    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> {
    });

    private Exception send(String uri, String body) {
        return template.send(uri, e -> e.getMessage().setBody(body)).getException();
    }

    @Test
    void theSizeLimitHoldsAtTheRealServersBoundary() {
        String uri = "eliza:size-" + UUID.randomUUID() + "?url=" + eliza.url() + "&ackTimeout=60000";
        // the exact size of the packet a body of 1000 characters makes, as the producer measures it
        Exception probe = send(uri + "&maxMessageSize=1", "x".repeat(1000));
        Matcher size = Pattern.compile("The message is (\\d+) bytes").matcher(probe.getMessage());
        assertThat(size.find()).isTrue();
        int overhead = Integer.parseInt(size.group(1)) - 1000;
        String largest = "x".repeat(1_000_000 - overhead);

        // exactly 1,000,000 bytes: the server takes it
        Exchange atLimit = template.send(uri, e -> e.getMessage().setBody(largest));
        assertThat(atLimit.getException()).isNull();
        assertThat(atLimit.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class)).isNotBlank();
        // one byte more: refused before sending
        assertThat(send(uri, largest + "x")).isInstanceOf(ElizaInvalidMessageException.class)
                .hasMessageContaining("The message is 1000001 bytes");
        // and the limit is the server's: sent anyway, that packet costs the whole connection
        assertThat(send(uri + "&maxMessageSize=2000000", largest + "x"))
                .isInstanceOf(ElizaUnacknowledgedException.class).hasMessageContaining("was lost");
    }
}
