package org.cameleliza.component.eliza.producer;

import java.util.List;

import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a toD's URI becomes: the static URI of the one endpoint for every channel, and the channel of the message, as
 * the endpoint of the evaluated URI would have it.
 */
class ElizaDynamicUriTest extends CamelTestSupport {

    private static final String ROUTE_URI = "eliza:${header.room}?agentId=b850bc30-45f8-0041-a00a-83df46d8555d";

    @Test
    void theChannelGoesToTheMessageAndTheRoutesExpressionIntoTheStaticUri() {
        ElizaDynamicUri dynamic = ElizaDynamicUri.parse("eliza",
                "eliza:room-7?agentId=b850bc30-45f8-0041-a00a-83df46d8555d", ROUTE_URI);

        assertThat(dynamic.channel()).isEqualTo("room-7");
        assertThat(dynamic.staticUri()).isEqualTo(ROUTE_URI);
    }

    @Test
    void optionsStayAsEvaluatedSoEachSetOfOptionsHasItsOwnEndpoint() {
        ElizaDynamicUri dynamic = ElizaDynamicUri.parse("eliza", "eliza://room-7?senderName=Ops&replyTimeout=5000",
                "eliza://${header.room}?senderName=${header.team}&replyTimeout=5000");

        assertThat(dynamic.channel()).isEqualTo("room-7");
        assertThat(dynamic.staticUri()).isEqualTo("eliza://${header.room}?senderName=Ops&replyTimeout=5000");
    }

    @Test
    void aQuestionMarkInsideTheExpressionIsPartOfTheChannel() {
        ElizaDynamicUri dynamic = ElizaDynamicUri.parse("eliza", "eliza:lobby?requestReply=false",
                "eliza:${header.room ?: 'lobby'}?requestReply=false");

        assertThat(dynamic.channel()).isEqualTo("lobby");
        assertThat(dynamic.staticUri()).isEqualTo("eliza:${header.room ?: 'lobby'}?requestReply=false");
    }

    @Test
    void aPartlyComputedChannelKeepsItsFixedPart() {
        ElizaDynamicUri dynamic = ElizaDynamicUri.parse("eliza", "eliza:ticket-42", "eliza:ticket-${header.id}");

        assertThat(dynamic.channel()).isEqualTo("ticket-42");
        assertThat(dynamic.staticUri()).isEqualTo("eliza:ticket-${header.id}");
    }

    @Test
    void nothingToDoWhenTheChannelIsNotComputedPerMessage() {
        // only an option is computed: Camel's toD as usual
        assertThat(ElizaDynamicUri.parse("eliza", "eliza:support?senderName=Ops", "eliza:support?senderName=${header.t}"))
                .isNull();
        // the whole URI is computed: nothing says which options are static
        assertThat(ElizaDynamicUri.parse("eliza", "eliza:support", "${header.target}")).isNull();
        // another scheme, or no route URI
        assertThat(ElizaDynamicUri.parse("eliza", "kafka:support", "kafka:${header.topic}")).isNull();
        assertThat(ElizaDynamicUri.parse("eliza", "eliza:support", null)).isNull();
        // an empty channel: the endpoint's own error
        assertThat(ElizaDynamicUri.parse("eliza", "eliza:?agentId=x", "eliza:${header.room}?agentId=x")).isNull();
    }

    @Test
    void anotherSchemeOfTheComponentWorksTheSame() {
        ElizaDynamicUri dynamic = ElizaDynamicUri.parse("eliza-prod", "eliza-prod:room-1", "eliza-prod:${header.room}");

        assertThat(dynamic.channel()).isEqualTo("room-1");
        assertThat(dynamic.staticUri()).isEqualTo("eliza-prod:${header.room}");
    }

    @Test
    void theChannelIsTheOneTheEndpointOfTheEvaluatedUriWouldHave() {
        // the header must name the same channel (so the same channel id) as eliza:<room> would, however it is written
        for (String room : List.of("support", "a b", "a%20b", "a+b", "ünïcödé", "team/room", "x:y", "50%off",
                "b850bc30-45f8-0041-a00a-83df46d8555d", "#general", "<room>")) {
            String uri = "eliza:" + room + "?requestReply=false";
            String expected = context.getEndpoint(uri, ElizaEndpoint.class).getChannel();
            assertThat(ElizaDynamicUri.parse("eliza", uri, "eliza:${header.room}?requestReply=false").channel())
                    .as(room).isEqualTo(expected);
        }
    }
}
