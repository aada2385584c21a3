package org.cameleliza.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an agent that calls MCP tools hands the harness: its "tools" answer and the plugin's "mcp" setting. */
class McpToolAgentTest {

    private static final String URL = "http://127.0.0.1:8080/mcp";

    @Test
    void aToolRuleBecomesTheToolsAnswerAndTheServerThePluginsSetting() {
        ElizaTestAgent agent = ElizaTestAgent.named("Support")
                .usingMcpServer("orders", URL)
                .callingTool("order\\s+#?(\\w+)", "orders", "lookupOrder", Map.of("orderId", "$1"))
                .mcpTimeout(Duration.ofSeconds(5));

        assertThat(Json.write(agent.toSpec().get("answer"))).isEqualTo(Json.write(Map.of(
                "kind", "tools",
                "otherwise", Map.of("kind", "echo"),
                "rules", List.of(Map.of("pattern", "order\\s+#?(\\w+)", "server", "orders", "tool", "lookupOrder",
                        "arguments", Map.of("orderId", "$1"))))));
        assertThat(Json.write(agent.toSpec().get("mcp"))).isEqualTo(
                "{\"servers\":{\"orders\":{\"type\":\"streamable-http\",\"url\":\"" + URL + "\",\"timeoutInMillis\":5000}}}");
        assertThat(agent.id()).isEqualTo(ElizaTestAgent.idOf("Support"));
    }

    @Test
    void anAgentWithoutMcpServersHasNoMcpSetting() {
        assertThat(ElizaTestAgent.named("Echo").toSpec()).doesNotContainKey("mcp");
        assertThat(ElizaTestAgent.named("Echo").mcpTimeout(Duration.ofSeconds(1)).toSpec()).doesNotContainKey("mcp");
    }

    @Test
    void textRulesAndOtherwiseAnswerTheMessagesThatCallNoTool() {
        ElizaTestAgent agent = ElizaTestAgent.named("Support")
                .usingMcpServer("orders", URL)
                .usingMcpServer("stock", "https://stock.example/mcp")
                .when("hours", "9 to 5.")
                .callingTool("order (\\w+)", "orders", "lookupOrder", Map.of("orderId", "$1", "verbose", true))
                .callingTool("stock of (\\w+)", "stock", "count", Map.of("item", List.of("$1", 2)))
                .otherwise("Sorry.")
                .withId("b850bc30-45f8-0041-a00a-83df46d8555d");

        Map<?, ?> answer = (Map<?, ?>) agent.toSpec().get("answer");
        assertThat(answer.get("kind")).isEqualTo("tools");
        assertThat(((List<?>) answer.get("rules")).stream().map(r -> ((Map<?, ?>) r).get("tool")).toList())
                .isEqualTo(List.of("lookupOrder", "count"));
        assertThat(Json.write(answer.get("otherwise"))).isEqualTo(Json.write(Map.of(
                "kind", "table",
                "rules", List.of(Map.of("pattern", "hours", "answer", "9 to 5.")),
                "otherwise", Map.of("kind", "fixed", "text", "Sorry."))));
        assertThat(List.copyOf(((Map<?, ?>) ((Map<?, ?>) agent.toSpec().get("mcp")).get("servers")).keySet()))
                .isEqualTo(List.of("orders", "stock"));
    }

    @Test
    void mistakesAreRefusedWhenTheTestDefinesTheAgent() {
        ElizaTestAgent agent = ElizaTestAgent.named("Support").usingMcpServer("orders", URL);

        assertThatThrownBy(() -> agent.callingTool("x", "stock", "count", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No MCP server 'stock': give it with usingMcpServer(\"stock\", url) before the rules that "
                            + "call its tools; the servers are [orders]");
        assertThatThrownBy(() -> agent.callingTool("order (", "orders", "lookupOrder", Map.of()))
                .isInstanceOf(PatternSyntaxException.class);
        assertThatThrownBy(() -> agent.callingTool("x", "orders", " ", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A tool needs a name");
        assertThatThrownBy(() -> agent.callingTool("x", "orders", "t", Map.of("when", new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not written as JSON");
        assertThatThrownBy(() -> agent.usingMcpServer("orders", URL))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Two MCP servers named 'orders'");
        assertThatThrownBy(() -> agent.usingMcpServer("files", "file:///tmp/mcp"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be http:// or https://");
        assertThatThrownBy(() -> agent.usingMcpServer(" ", URL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a name");
        assertThatThrownBy(() -> agent.mcpTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
    }
}
