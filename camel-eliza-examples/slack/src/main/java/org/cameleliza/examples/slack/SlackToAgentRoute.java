package org.cameleliza.examples.slack;

import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.ElizaInvalidMessageException;

/**
 * Messages people write in a Slack channel are asked to the agent, and its answer is posted back to the channel,
 * addressed to the person who asked. Each Slack user has a conversation of their own with the agent (the
 * conversation key is the Slack user id), so the agent's memory of one user does not leak into another's answers.
 * <p>
 * camel-slack's consumer polls {@code conversations.history} every {@code slack.pollDelay} ms. Messages of bots, the
 * bridge's own answers included, are never asked. When the agent cannot answer (Eliza down, the agent slower than
 * {@code bridge.replyTimeout}), the person is told so in Slack; when Slack does not take the answer, the question and
 * the answer are logged at ERROR.
 */
public class SlackToAgentRoute extends RouteBuilder {

    static final String QUESTION = SlackReplies.QUESTION;
    static final String ASKED_BY = SlackReplies.ASKED_BY;

    @Override
    public void configure() {
        // resolves the environment variable behind the property too; empty when neither is set
        String token = getContext().resolvePropertyPlaceholders("{{slack.token:}}");
        if (token.isBlank()) {
            // with an incoming webhook only, the bridge posts to Slack but cannot read it
            log.info("No slack.token: messages in Slack are not asked to the agent");
            return;
        }
        if (token.startsWith("xoxp-")) {
            // a user token posts as that user, not as a bot: the bridge's answers would come back as questions
            throw new IllegalArgumentException("slack.token is a user token (xoxp-...): the bridge needs a bot token "
                                               + "(xoxb-...), or it would ask the agent its own answers");
        }
        SlackPoster slack = new SlackPoster(
                "slack:#{{slack.channel}}?token=RAW({{slack.token}})&serverUrl={{slack.serverUrl}}");

        onException(ElizaInvalidMessageException.class)
                .handled(true)
                .log(LoggingLevel.WARN, "Not asked, the agent cannot take it (${exception.message}): ${body}")
                .setBody(method(SlackReplies.class, "cannotAsk"))
                .process(slack);

        BridgeRedelivery.retried(onException(ElizaException.class, ExchangeTimedOutException.class))
                .handled(true)
                .log(LoggingLevel.ERROR, "The agent did not answer ${exchangeProperty." + ASKED_BY + "} "
                                         + "(${exception.message}): ${exchangeProperty." + QUESTION + "}")
                .setBody(method(SlackReplies.class, "noAnswer"))
                .process(slack);

        // what is left is Slack not taking the answer: tried again, then logged with question and answer
        BridgeRedelivery.retried(onException(Exception.class))
                .handled(true)
                .log(LoggingLevel.ERROR, "Slack did not take the answer (${exception.message}) to "
                                         + "${exchangeProperty." + ASKED_BY + "}'s question "
                                         + "'${exchangeProperty." + QUESTION + "}': ${body}");

        // tag::route[]
        from("slack:{{slack.channel}}?token=RAW({{slack.token}})&serverUrl={{slack.serverUrl}}"
             + "&naturalOrder=true&delay={{slack.pollDelay}}&maxResults={{slack.maxResults}}")
                .routeId("slack-to-agent")
                .filter(method(SlackText.class, "isFromPerson"))
                .setProperty(ASKED_BY, simple("${body.user}"))
                .choice()
                    .when(method(SlackText.class, "hasText").isEqualTo(false))
                        .setBody(method(SlackReplies.class, "textOnly"))
                        .process(slack)
                    .otherwise()
                        .setBody(simple("${body.text}"))
                        .setBody(method(SlackText.class, "unescape"))
                        .setProperty(QUESTION, body())
                        .log("Asking the agent for ${exchangeProperty." + ASKED_BY + "}: ${body}")
                        .setHeader(ElizaConstants.CONVERSATION_KEY, exchangeProperty(ASKED_BY))
                        // names an agent: the exchange gets the agent's answer as its body
                        .to("eliza:{{bridge.slackRoom}}?agentId={{eliza.agentId}}&replyTimeout={{bridge.replyTimeout}}")
                        .removeHeaders("CamelEliza*")
                        .setBody(method(SlackReplies.class, "answer"))
                        .process(slack)
                        .log("Answered ${exchangeProperty." + ASKED_BY + "} in Slack")
                .end();
        // end::route[]
    }
}
