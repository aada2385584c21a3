package org.cameleliza.test;

import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElizaTestAgentTest {

    @Test
    void anAgentEchoesByDefaultAndItsIdFollowsFromItsName() {
        ElizaTestAgent agent = ElizaTestAgent.named("Support");

        assertThat(agent.toSpec()).containsEntry("answer", Map.of("kind", "echo"));
        assertThat(agent.id()).isEqualTo(ElizaTestAgent.idOf("Support")).isEqualTo(ElizaTestAgent.named("Support").id());
        assertThat(ElizaTestAgent.idOf("Sales")).isNotEqualTo(agent.id());
        assertThat(agent.withId("b850bc30-45f8-0041-a00a-83df46d8555d").id())
                .isEqualTo("b850bc30-45f8-0041-a00a-83df46d8555d");
    }

    @Test
    void rulesKeepTheirOrderAndFallBackToTheOtherwiseAnswer() {
        ElizaTestAgent agent = ElizaTestAgent.named("Helpdesk")
                .when("refund (\\w+)", "Refund $1 is on its way.")
                .otherwise("Sorry.")
                .when("hours", "9 to 5.");

        assertThat(Json.write(agent.toSpec().get("answer"))).isEqualTo(Json.write(Map.of(
                "kind", "table",
                "rules", List.of(Map.of("pattern", "refund (\\w+)", "answer", "Refund $1 is on its way."),
                        Map.of("pattern", "hours", "answer", "9 to 5.")),
                "otherwise", Map.of("kind", "fixed", "text", "Sorry."))));
    }

    @Test
    void rulesWithoutOtherwiseEcho() {
        Map<?, ?> answer = (Map<?, ?>) ElizaTestAgent.named("Helpdesk").when("a", "b").toSpec().get("answer");

        assertThat(answer.get("otherwise")).isEqualTo(Map.of("kind", "echo"));
    }

    @Test
    void badInputIsRefusedWhenTheTestDefinesTheAgent() {
        assertThatThrownBy(() -> ElizaTestAgent.named("Helpdesk").when("refund (", "x"))
                .isInstanceOf(PatternSyntaxException.class);
        assertThatThrownBy(() -> ElizaTestAgent.named(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> ElizaTestAgent.named("A").withId("not-a-uuid"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ElizaTestServer.builder().agent(ElizaTestAgent.named("A")).agent(ElizaTestAgent.named("A")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Two agents named 'A'");
    }

    @Test
    void aServerMayHaveNoAgent() {
        try (ElizaTestServer server = ElizaTestServer.builder().agents(0).build()) {
            assertThat(server.agents()).isEmpty();
            assertThatThrownBy(server::agent).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no agent");
        }
        assertThatThrownBy(() -> ElizaTestServer.builder().agents(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..2");
        assertThatThrownBy(() -> ElizaTestServer.builder().agents(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonEscapesWhatAScriptMayContain() {
        assertThat(Json.write(List.of("say \"hi\"\n\\ \u0001")))
                .isEqualTo("[\"say \\\"hi\\\"\\n\\\\ \\u0001\"]");
    }
}
