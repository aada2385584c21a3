package org.cameleliza.kamelets.it;

import java.net.URL;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * from("kamelet:eliza-source?...") against a real server: the route receives the agent's answers to what others
 * post in the channel. The Kamelet comes from this module's jar (classpath:kamelets, the Kamelet component's default
 * location).
 */
class ElizaSourceKameletIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServer eliza = new ElizaServer();

    /** Someone else in the channel: a plain eliza producer with an identity of its own, one-way. */
    private void ask(String channel, String question) {
        template.sendBody("eliza:" + channel + "?senderName=Asker&requestReply=false&" + eliza.connection(), question);
    }

    @Test
    void theKameletsAreReadFromTheJarOnTheClasspath() {
        for (String name : new String[] { "eliza-source", "eliza-sink" }) {
            URL url = getClass().getClassLoader().getResource("kamelets/" + name + ".kamelet.yaml");
            assertThat(url).isNotNull();
            // failsafe puts the packaged jar, not target/classes, on the classpath; the tests ship no Kamelet
            assertThat(url.getProtocol()).as(url.toString()).isEqualTo("jar");
            assertThat(url.getPath()).contains("camel-eliza-kamelets-");
        }
    }

    @Test
    void receivesTheAgentsAnswerAndNotTheQuestion() throws Exception {
        String channel = "kamelet-source-" + UUID.randomUUID();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:eliza-source?channel=" + channel + "&" + eliza.connection()).routeId("source")
                        .to("mock:answers");
            }
        });
        MockEndpoint answers = getMockEndpoint("mock:answers");
        String expected = ElizaTestServer.expectedReply(eliza.agent(), "what is a kamelet?");
        answers.expectedBodiesReceived(expected);
        answers.setResultWaitTime(30000);
        answers.setAssertPeriod(1500); // and nothing else arrives: the question is not delivered

        ask(channel, "what is a kamelet?");

        answers.assertIsSatisfied();
        Exchange answer = answers.getReceivedExchanges().get(0);
        assertThat(answer.getMessage().getHeader(ElizaConstants.SENDER_ID)).isEqualTo(eliza.agent().id());
        assertThat(answer.getMessage().getHeader(ElizaConstants.CHANNEL_ID)).isEqualTo(ElizaIds.channelId(channel));
        assertThat(answer.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class)).isNotBlank();
    }

    @Test
    void everyMessageAsJsonWhenAsked() throws Exception {
        String channel = "kamelet-source-json-" + UUID.randomUUID();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:eliza-source?channel=" + channel + "&agentMessagesOnly=false&bodyType=json&"
                     + eliza.connection())
                        .to("mock:messages");
            }
        });
        MockEndpoint messages = getMockEndpoint("mock:messages");
        messages.expectedMessageCount(2);
        messages.setResultWaitTime(30000);

        ask(channel, "question in json");

        messages.assertIsSatisfied();
        String question = messages.getReceivedExchanges().get(0).getMessage().getBody(String.class);
        String answer = messages.getReceivedExchanges().get(1).getMessage().getBody(String.class);
        assertThat(question).startsWith("{").contains("\"text\":\"question in json\"");
        assertThat(answer).startsWith("{")
                .contains("\"text\":\"" + ElizaTestServer.expectedReply(eliza.agent(), "question in json") + "\"")
                .contains(eliza.agent().id());
    }
}
