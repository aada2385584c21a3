package org.cameleliza.component.eliza.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElizaServerVersionTest {

    private static ElizaServerVersion reported(String version) {
        return ElizaServerVersion.parse(version, "reported");
    }

    @Test
    void eachLineGetsItsRoutesAndEndOfTurnSignal() {
        for (String old : new String[] { "1.2.0", "1.3.2", "1.4.2" }) {
            ElizaServerVersion v = reported(old);
            assertThat(v.hasChannelRoutes()).as(old).isFalse();
            assertThat(v.hasMessageServerEndpoint()).as(old).isFalse();
            assertThat(v.endsTurnsWithMessageComplete()).as(old).isTrue();
            assertThat(v.checksSocketApiKey()).as(old).isFalse();
        }
        ElizaServerVersion v15 = reported("1.5.8");
        assertThat(v15.hasChannelRoutes()).isFalse();
        assertThat(v15.endsTurnsWithMessageComplete()).isFalse();
        ElizaServerVersion v16 = reported("1.6.5");
        assertThat(v16.hasChannelRoutes()).isTrue();
        assertThat(v16.hasMessageServerEndpoint()).isTrue();
        assertThat(v16.checksSocketApiKey()).isTrue();
        assertThat(v16.streamsReplies()).isFalse();
        assertThat(reported("1.7.2").streamsReplies()).isTrue();
        // a newer line than the component knows is treated as the newest it knows
        assertThat(reported("1.12.0").streamsReplies()).isTrue();
        assertThat(reported("2.0.0-alpha.1").hasChannelRoutes()).isTrue();
    }

    @Test
    void whatIsNotAVersionIsNoVersion() {
        assertThat(reported("unknown")).isNull();
        assertThat(reported("")).isNull();
        assertThat(reported(null)).isNull();
        assertThat(reported("0.25.9")).isNull();
        assertThat(reported("1.4.2-beta.3").text()).isEqualTo("1.4.2-beta.3");
    }

    @Test
    void inferredRangesPromiseOnlyWhatHoldsForTheWholeRange() {
        ElizaServerVersion modern = ElizaServerVersion.withMessageServerEndpoint();
        assertThat(modern.hasChannelRoutes()).isTrue();
        assertThat(modern.endsTurnsWithMessageComplete()).isFalse();
        // 1.6 or later: maybe 1.7, maybe not
        assertThat(modern.streamsReplies()).isFalse();
        assertThat(modern.text()).isEqualTo("1.6 or later");

        ElizaServerVersion older = ElizaServerVersion.withoutMessageServerEndpoint();
        assertThat(older.hasChannelRoutes()).isFalse();
        // 1.5 or earlier: maybe 1.5, which does not send messageComplete
        assertThat(older.endsTurnsWithMessageComplete()).isFalse();

        ElizaServerVersion sentComplete = older.sentMessageComplete();
        assertThat(sentComplete.text()).isEqualTo("1.4 or earlier");
        assertThat(sentComplete.endsTurnsWithMessageComplete()).isTrue();
        assertThat(sentComplete.sentMessageComplete()).isSameAs(sentComplete);
        // a reported version is not second-guessed
        ElizaServerVersion v15 = reported("1.5.8");
        assertThat(v15.sentMessageComplete()).isSameAs(v15);
    }

    @Test
    void describeSaysWhatTheComponentDoesDifferently() {
        assertThat(reported("1.4.2").describe()).isEqualTo(
                "elizaOS 1.4.2 (reported): /central-channels REST routes, messageComplete ends every agent turn");
        assertThat(reported("1.7.2").describe()).contains("/channels REST routes", "streamed replies",
                "waits for replyTimeout");
    }

    @Test
    void theOptionIsAutoOrAVersion() {
        assertThat(ElizaServerVersion.configured("auto")).isNull();
        assertThat(ElizaServerVersion.configured(null)).isNull();
        assertThat(ElizaServerVersion.configured("1.6").text()).isEqualTo("1.6");
        assertThatThrownBy(() -> ElizaServerVersion.configured("latest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Option serverVersion must be 'auto' or an elizaOS 1.x version such as 1.4 or 1.6.5,"
                            + " but was 'latest'");
        assertThatThrownBy(() -> ElizaServerVersion.configured("2.0")).isInstanceOf(IllegalArgumentException.class);
    }
}
