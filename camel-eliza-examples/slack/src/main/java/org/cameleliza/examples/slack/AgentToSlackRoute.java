package org.cameleliza.examples.slack;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The agent's messages of an Eliza room go to a Slack channel: through the channel's incoming webhook when
 * {@code slack.webhook.secret} (the webhook's URL) is set, else through the Web API ({@code chat.postMessage}) with
 * the bot token.
 * <p>
 * The consumer remembers the Eliza messages it delivered in {@code #agentMessagesDelivered} (a file): after a restart
 * it forwards what the agent said while the bridge was down, and nothing twice. A message Slack refuses or cannot take
 * is tried again with a growing delay; when every try failed it is logged at ERROR with its text, never dropped
 * silently.
 */
public class AgentToSlackRoute extends RouteBuilder {

    @Override
    public void configure() {
        boolean viaWebhook = isSet("slack.webhook.secret");
        if (!viaWebhook && !isSet("slack.token")) {
            throw new IllegalArgumentException("Set slack.webhook.secret (SLACK_WEBHOOK_URL) or slack.token "
                                               + "(SLACK_TOKEN): the bridge cannot post to Slack");
        }
        // tag::route[]
        // RAW() passes the credentials as they are (one with + or & would otherwise be decoded); the token is a
        // secret option, which Camel masks wherever it prints the endpoint
        SlackPoster slack = new SlackPoster(viaWebhook
                ? "slack:#{{slack.channel}}?webhookUrl=RAW({{slack.webhook.secret}})"
                : "slack:#{{slack.channel}}?token=RAW({{slack.token}})&serverUrl={{slack.serverUrl}}");

        BridgeRedelivery.retried(onException(Exception.class))
                .handled(true)
                .log(LoggingLevel.ERROR, "Slack did not take the agent's message (${exception.message}): ${body}");

        from("eliza:{{bridge.room}}?agentId={{eliza.agentId}}&agentMessagesOnly=true"
             + "&idempotentRepository=#agentMessagesDelivered&stateRepository=#agentMessagesPlace")
                .routeId("agent-to-slack")
                .log("Agent message ${header.CamelElizaMessageId} to Slack #{{slack.channel}}"
                     + (viaWebhook ? " (incoming webhook)" : " (Web API)"))
                .removeHeaders("CamelEliza*")
                .setBody(method(SlackText.class, "escape"))
                .process(slack);
        // end::route[]
    }

    private boolean isSet(String property) {
        // resolves the environment variable behind the property too; empty when neither is set
        return !getContext().resolvePropertyPlaceholders("{{" + property + ":}}").isBlank();
    }
}
