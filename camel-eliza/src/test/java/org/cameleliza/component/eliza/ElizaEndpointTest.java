package org.cameleliza.component.eliza;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.connection.ElizaCredentials;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Endpoint creation: options are checked before anything connects.
 */
class ElizaEndpointTest extends CamelTestSupport {

    private static final String AGENT = "b850bc30-45f8-0041-a00a-83df46d8555d";

    @Test
    void resolvesChannelAndEntity() {
        ElizaEndpoint endpoint = context.getEndpoint("eliza:support?agentId=" + AGENT, ElizaEndpoint.class);
        assertThat(endpoint.getChannelId()).isEqualTo(ElizaIds.channelId("support"));
        assertThat(endpoint.getEntityId()).isEqualTo(ElizaIds.defaultEntityId(context.getName(), "Camel"));
        assertThat(endpoint.getConfiguration().getAgentId()).isEqualTo(AGENT);
        assertThat(endpoint.getConfiguration().getUrl()).isEqualTo("http://localhost:3000");
    }

    @Test
    void invalidIdOptionsFailEndpointCreationNamingTheOption() {
        assertFailsNaming("eliza:support?agentId=agent-7", "agentId");
        assertFailsNaming("eliza:support?entityId=me", "entityId");
        assertFailsNaming("eliza:support?messageServerId=0", "messageServerId");
    }

    @Test
    void badUrlAndTimeoutsFailEndpointCreation() {
        assertFailsNaming("eliza:support?url=ftp://host", "url");
        assertFailsNaming("eliza:support?url=localhost:3000", "url");
        assertFailsNaming("eliza:support?ackTimeout=0", "ackTimeout");
        assertFailsNaming("eliza:support?connectTimeout=-5", "connectTimeout");
        assertFailsNaming("eliza:support?maxMessageSize=0", "maxMessageSize");
        assertFailsNaming("eliza:support?serverVersion=latest", "serverVersion");
    }

    @Test
    void badReplyCombinationsFailEndpointCreation() {
        assertFailsNaming("eliza:support?reply=true&replyFilter=some", "replyFilter");
        assertFailsNaming("eliza:support?replyFilter=mentions", "replyFilter needs reply=true");
        assertFailsNaming("eliza:support?replyToAgents=true", "replyToAgents needs reply=true");
        assertFailsNaming("eliza:support?reply=true&events=messageComplete", "events");
        assertFailsNaming("eliza:support?reply=true&agentMessagesOnly=true&agentId=" + AGENT, "agentMessagesOnly");
        assertFailsNaming("eliza:support?reply=true&replyVia=pigeon", "replyVia");
        assertFailsNaming("eliza:support?replyVia=rest", "replyVia needs reply=true");
        assertThat(context.getEndpoint("eliza:support?reply=true&replyVia=rest", ElizaEndpoint.class)
                .getConfiguration().getReplyVia()).isEqualTo("rest");
        assertThat(context.getEndpoint("eliza:support?reply=true", ElizaEndpoint.class).getConfiguration().getReplyVia())
                .isEqualTo("socket");
        assertThat(context.getEndpoint("eliza:support?reply=true&replyFilter=addressed&replyToAgents=true"
                                       + "&agentMessagesOnly=true&agentId=" + AGENT, ElizaEndpoint.class)
                .getConfiguration().isReply()).isTrue();
    }

    @Test
    void replyIsForConsumersOnly() {
        ElizaEndpoint endpoint = context.getEndpoint("eliza:support?reply=true", ElizaEndpoint.class);
        assertThatThrownBy(endpoint::createProducer).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Option reply is for consumers");
    }

    @Test
    void componentOptionsAreDefaultsEndpointsCanOverride() {
        ElizaComponent component = context.getComponent("eliza", ElizaComponent.class);
        component.getConfiguration().setSenderName("Billing");
        component.getConfiguration().setAckTimeout(1234);
        ElizaEndpoint plain = context.getEndpoint("eliza:a", ElizaEndpoint.class);
        ElizaEndpoint overridden = context.getEndpoint("eliza:b?senderName=Ops", ElizaEndpoint.class);
        assertThat(plain.getConfiguration().getSenderName()).isEqualTo("Billing");
        assertThat(plain.getConfiguration().getAckTimeout()).isEqualTo(1234);
        assertThat(overridden.getConfiguration().getSenderName()).isEqualTo("Ops");
        assertThat(component.getConfiguration().getSenderName()).isEqualTo("Billing");
    }

    @Test
    void apiKeyIsMaskedWhereCamelShowsTheUri() {
        ElizaEndpoint endpoint = context.getEndpoint("eliza:secure?apiKey=TOPSECRET123", ElizaEndpoint.class);
        assertThat(endpoint.getConfiguration().getApiKey()).isEqualTo("TOPSECRET123");
        assertThat(endpoint.toString()).doesNotContain("TOPSECRET123");
        assertThat(endpoint.connectionSettings().toString()).doesNotContain("TOPSECRET123");
    }

    @Test
    void httpHeadersAndAuthTokenAreParsedAndTheTokenMasked() {
        ElizaEndpoint endpoint = context.getEndpoint(
                "eliza:headers?httpHeader.X-Tenant=acme&httpHeader.X-Trace=1&authToken=SECRETJWT", ElizaEndpoint.class);
        assertThat(endpoint.getConfiguration().getHttpHeaders()).containsEntry("X-Tenant", "acme")
                .containsEntry("X-Trace", "1");
        assertThat(endpoint.getConfiguration().getAuthToken()).isEqualTo("SECRETJWT");
        assertThat(endpoint.toString()).doesNotContain("SECRETJWT");
        assertThat(endpoint.connectionSettings().toString()).doesNotContain("SECRETJWT").contains("with auth token");
    }

    @Test
    void httpHeaderValuesAreMaskedInTheEndpointUri() {
        ElizaEndpoint endpoint = context.getEndpoint(
                "eliza:headers-raw?httpHeader.Authorization=RAW(Bearer SECRETHDR&x)&httpHeader.X-Key=SECRETKEY",
                ElizaEndpoint.class);
        assertThat(endpoint.getConfiguration().getHttpHeaders()).containsEntry("Authorization", "Bearer SECRETHDR&x")
                .containsEntry("X-Key", "SECRETKEY");
        assertThat(endpoint.getEndpointUri()).doesNotContain("SECRETHDR").doesNotContain("SECRETKEY")
                .contains("httpHeader.Authorization=xxxxxx");
        assertThat(endpoint.toString()).doesNotContain("SECRETHDR").doesNotContain("SECRETKEY");
        // a printed URI resolved again would send the mask: refused
        assertFailsNaming("eliza:headers-mask?httpHeader.Authorization=xxxxxx", "httpHeader");
    }

    @Test
    void reconnectOptionsAreChecked() {
        assertFailsNaming("eliza:r?maxReconnectAttempts=-1", "maxReconnectAttempts");
        assertFailsNaming("eliza:r?reconnectInitialDelay=0", "reconnectInitialDelay");
        assertFailsNaming("eliza:r?events=messageBroadcast,nonsense", "events");
        assertFailsNaming("eliza:r?agentMessagesOnly=true", "agentMessagesOnly");
        assertFailsNaming("eliza:r?requestReply=sometimes", "requestReply");
        assertFailsNaming("eliza:r?replyMatching=fuzzy", "replyMatching");
        assertFailsNaming("eliza:r?queueSize=0", "queueSize");
        assertFailsNaming("eliza:r?authToken=a&authTokenFile=/tmp/token", "authToken");
    }

    @Test
    void theServiceUrlAndTheConnectionNeverShowUserInfo() {
        ElizaEndpoint endpoint = context.getEndpoint("eliza:userinfo?url=http://admin:s3cret@eliza.example:3000",
                ElizaEndpoint.class);
        assertThat(endpoint.getServiceUrl()).isEqualTo("http://eliza.example:3000");
        assertThat(endpoint.connectionSettings().toString()).doesNotContain("s3cret").doesNotContain("admin");
    }

    @Test
    void transportCombinationsThatCannotWorkFailEndpointCreation() {
        assertFailsNaming("eliza:support?transport=pigeon", "transport must be one of socket, http, sse");
        assertFailsNaming("eliza:support?transport=http&streaming=true&agentId=" + AGENT, "streaming=true needs transport=sse");
        assertFailsNaming("eliza:support?transport=http&requestReply=false&agentId=" + AGENT, "transport=http always");
        assertFailsNaming("eliza:support?transport=sse&serverVersion=1.6.5&agentId=" + AGENT,
                "transport=sse needs elizaOS 1.7 or later, but the server is 1.6.5");
        assertThat(context.getEndpoint("eliza:support?transport=sse&streaming=true&serverVersion=1.7&agentId=" + AGENT,
                ElizaEndpoint.class).getConfiguration().getTransport()).isEqualTo("sse");
        assertThat(context.getEndpoint("eliza:support", ElizaEndpoint.class).getConfiguration().getTransport())
                .isEqualTo("socket");
    }

    @Test
    void aConsumerWithARestTransportIsRefused() {
        ElizaEndpoint endpoint = context.getEndpoint("eliza:support?transport=http&agentId=" + AGENT, ElizaEndpoint.class);
        assertThatThrownBy(() -> endpoint.createConsumer(exchange -> {
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transport=http is for producers");
    }

    private void assertFailsNaming(String uri, String option) {
        assertThatThrownBy(() -> context.getEndpoint(uri))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Option " + option);
    }

    @Test
    void anUnresolvedPlaceholderIsNotSentAsTheKey() {
        // what Spring Boot leaves of camel.component.eliza.api-key=${ELIZA_API_KEY} when the variable is unset
        assertThatThrownBy(() -> context.getEndpoint("eliza:keys?apiKey=RAW(${ELIZA_API_KEY})"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Option apiKey is a property placeholder that was not resolved");
        // a component option set from a configuration that did not resolve it
        context.getComponent("eliza", ElizaComponent.class).getConfiguration().setAuthToken("{{vault.token}}");
        assertThatThrownBy(() -> context.getEndpoint("eliza:other-keys"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Option authToken is a property placeholder");
        context.getComponent("eliza", ElizaComponent.class).getConfiguration().setAuthToken(null);
        // an empty default ({{env:ELIZA_API_KEY:}}) is no key at all
        assertThat(context.getEndpoint("eliza:keys?apiKey=", ElizaEndpoint.class).getConfiguration().getApiKey())
                .isNull();
    }

    @Test
    void theEndpointIsAsynchronous() {
        assertThat(context.getEndpoint("eliza:async")).isInstanceOf(org.apache.camel.AsyncEndpoint.class);
    }

    @Test
    void anAuthTokenFileIsReadAgainOnEveryRead() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("eliza-token", ".txt");
        java.nio.file.Files.writeString(file, "first-token\n");
        ElizaCredentials credentials = new ElizaCredentials(null, null, file.toString(), null);
        assertThat(credentials.authToken()).as("nothing read yet").isNull();
        assertThat(credentials.readAuthToken()).isEqualTo("first-token");
        java.nio.file.Files.writeString(file, "renewed-token");
        assertThat(credentials.authToken()).as("as last read, without reading").isEqualTo("first-token");
        assertThat(credentials.readAuthToken()).isEqualTo("renewed-token");
        java.nio.file.Files.delete(file);
        assertThatThrownBy(credentials::readAuthToken).isInstanceOf(ElizaAuthenticationException.class)
                .hasMessageContaining("Cannot read the authTokenFile").hasMessageNotContaining("token-");
        assertThat(credentials.authToken()).as("a failed read keeps the last token").isEqualTo("renewed-token");
        assertThat(credentials.toString()).isEqualTo(" (with auth token)");
    }

    @Test
    void componentOptionsAreCheckedOnStart() {
        ElizaComponent component = new ElizaComponent();
        component.setCamelContext(context);
        component.setWorkerPoolSize(0);
        assertThatThrownBy(component::init).hasMessageContaining("Option workerPoolSize must be greater than 0");
        ElizaComponent lanes = new ElizaComponent();
        lanes.setCamelContext(context);
        lanes.setMaxQueuedRequests(-1);
        assertThatThrownBy(lanes::init).hasMessageContaining("Option maxQueuedRequests must be greater than 0");
        ElizaComponent burst = new ElizaComponent();
        burst.setCamelContext(context);
        burst.setGapRecoveryBurst(0);
        assertThatThrownBy(burst::init).hasMessageContaining("Option gapRecoveryBurst must be greater than 0");
        ElizaComponent pace = new ElizaComponent();
        pace.setCamelContext(context);
        pace.setGapRecoveryReadsPerMinute(-5);
        assertThatThrownBy(pace::init).hasMessageContaining("Option gapRecoveryReadsPerMinute must be greater than 0");
    }
}
