package org.cameleliza.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * An agent of the test server and what it answers, defined by the test instead of an LLM:
 *
 * <pre>
 * ElizaTestAgent.named("Support").answering("Our office opens at 9.")                  // always the same text
 * ElizaTestAgent.named("Echo")                                                          // "Echo echoes: &lt;message&gt;"
 * ElizaTestAgent.named("Shouter").answeringWithScript("return prompt.toUpperCase();")   // JavaScript of (prompt, agentName)
 * ElizaTestAgent.named("Helpdesk")
 *         .when("refund (\\w+)", "Refund $1 is on its way.")                            // first matching rule wins
 *         .when("hours|open", "9 to 5.")
 *         .otherwise("Sorry, I don't know.")
 * ElizaTestAgent.named("Support")                                                       // calls MCP tools
 *         .usingMcpServer("orders", "http://127.0.0.1:8080/mcp")
 *         .callingTool("order\\s+#?(\\w+)", "orders", "lookupOrder", Map.of("orderId", "$1"))
 * </pre>
 *
 * The agent answers every message posted to a channel it is a participant of, deterministically. Its id is fixed by
 * its name unless {@link #withId(String) given}, so a test knows it before the server starts (except on the
 * servers of the lines before 1.6 ({@code line("1.5")} and older), which derive ids from names themselves: ask the
 * started server).
 */
public final class ElizaTestAgent {

    private final String name;
    private final String id;
    private final Map<String, Object> answer;
    private final McpServers mcp;

    private ElizaTestAgent(String name, String id, Map<String, Object> answer, McpServers mcp) {
        this.name = name;
        this.id = id;
        this.answer = answer;
        this.mcp = mcp;
    }

    private ElizaTestAgent(String name, String id, Map<String, Object> answer) {
        this(name, id, answer, McpServers.NONE);
    }

    /** This agent, answering as {@code answer} says (its id and MCP servers kept). */
    private ElizaTestAgent answeringAs(Map<String, Object> answer) {
        return new ElizaTestAgent(name, id, answer, mcp);
    }

    /** An agent that echoes: it answers a message M with {@code "<name> echoes: M"}. */
    public static ElizaTestAgent named(String name) {
        if (name == null || name.isBlank() || !name.equals(name.strip())) {
            throw new IllegalArgumentException("An agent needs a name without leading or trailing blanks, got '" + name
                                               + "'");
        }
        return new ElizaTestAgent(name, idOf(name), Map.of("kind", "echo"));
    }

    /** The id an agent of this name gets unless {@link #withId(String)} says otherwise. */
    public static String idOf(String name) {
        return UUID.nameUUIDFromBytes(("camel-eliza-test:agent:" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** This agent with the given id (a UUID), e.g. the id the route under test is configured with. */
    public ElizaTestAgent withId(String uuid) {
        return new ElizaTestAgent(name, UUID.fromString(uuid).toString(), answer, mcp);
    }

    /** Answers every message with {@code text}. */
    public ElizaTestAgent answering(String text) {
        return answeringAs(Map.of("kind", "fixed", "text", Objects.requireNonNull(text, "text")));
    }

    /** Answers {@code "<name> echoes: M"} (the default). */
    public ElizaTestAgent echoing() {
        return answeringAs(Map.of("kind", "echo"));
    }

    /**
     * Answers with a JavaScript function of the message: {@code script} is the body of
     * {@code function (prompt, agentName)} and returns the answer (a string or a promise of one), e.g.
     * {@code "return 'You said ' + prompt.length + ' characters';"}. It runs in the server's Node process.
     */
    public ElizaTestAgent answeringWithScript(String script) {
        return answeringAs(Map.of("kind", "script", "source", Objects.requireNonNull(script)));
    }

    /**
     * Adds a rule: a message in which the regular expression {@code pattern} finds a match (case-insensitive) is
     * answered with {@code answer}, where {@code $1} to {@code $9} are the match's groups. Rules are tried in the
     * order they were added; a message no rule matches gets the {@link #otherwise(String)} answer (by default the
     * echo). The pattern must be valid in both Java and JavaScript: Java's check is here, JavaScript's when the server
     * starts (a server that cannot compile it does not start, and its log names the pattern).
     */
    public ElizaTestAgent when(String pattern, String answer) {
        Pattern.compile(pattern);
        Objects.requireNonNull(answer, "answer");
        return answeringAs(withTextAnswer(this.answer, text -> {
            Map<String, Object> table = "table".equals(text.get("kind"))
                    ? new LinkedHashMap<>(text)
                    : new LinkedHashMap<>(Map.of("kind", "table", "otherwise", text));
            table.put("rules", withRule(table.get("rules"), Map.of("pattern", pattern, "answer", answer)));
            return Map.copyOf(table);
        }));
    }

    /**
     * The answer to messages that no {@link #when(String, String)} rule (and no {@link #callingTool} rule) matches.
     */
    public ElizaTestAgent otherwise(String answer) {
        Objects.requireNonNull(answer, "answer");
        return answeringAs(withTextAnswer(this.answer, text -> {
            Map<String, Object> table = "table".equals(text.get("kind"))
                    ? new LinkedHashMap<>(text)
                    : new LinkedHashMap<>(Map.of("kind", "table", "rules", List.of()));
            table.put("otherwise", Map.of("kind", "fixed", "text", answer));
            return Map.copyOf(table);
        }));
    }

    /**
     * Gives the agent an MCP server, which it reaches over streamable HTTP through the official
     * {@code @elizaos/plugin-mcp}, by the {@code name} that {@link #callingTool} rules use; add one per server. The
     * agent then runs in elizaOS's multi-step mode (the one that calls tools with arguments); messages no
     * {@code callingTool} rule matches are answered as before. A server that is not up when the agent starts is tried
     * again every 2 seconds. Only the current elizaOS line can call MCP tools: on {@code line("1.6")} and older the
     * server does not start, and its log says why.
     *
     * @param name a name of your choice, e.g. {@code "orders"}; elizaOS names the tool's action
     *             {@code <NAME>_<TOOL>} in capitals
     * @param url  the server's streamable HTTP endpoint, e.g. {@code http://127.0.0.1:8080/mcp}
     * @throws IllegalArgumentException a blank or repeated name, a URL that is not http(s)
     */
    public ElizaTestAgent usingMcpServer(String name, String url) {
        return new ElizaTestAgent(this.name, id, answer, mcp.with(name, url));
    }

    /**
     * Adds a rule that calls an MCP tool: a message in which the regular expression {@code pattern} finds a match
     * (case-insensitive; valid in Java and JavaScript, as for {@link #when(String, String)}) makes the agent call tool
     * {@code tool} of the MCP server {@code server} (given before with {@link #usingMcpServer}) with
     * {@code arguments}, where {@code $1} to {@code $9} in strings (nested ones too) are the match's groups. The agent
     * then posts one answer: the tool's text output as it is, or, when the tool reports an error ({@code isError}),
     * {@code "<server>/<tool> failed: <its text>"}; when the agent has no such tool (its server down, or not offering
     * it), an answer that says so. A tool call that fails in MCP itself (a JSON-RPC error, or no answer within
     * {@link #mcpTimeout}) leaves the message unanswered, as elizaOS 1.7.2 does. Tool rules are tried before
     * {@code when} rules, in the order they were added; other messages get the agent's other answers (by default the
     * echo).
     *
     * @param arguments the tool's arguments: strings, numbers, booleans, and lists and maps of them
     */
    public ElizaTestAgent callingTool(String pattern, String server, String tool, Map<String, ?> arguments) {
        Pattern.compile(pattern);
        mcp.requireServer(server);
        if (tool == null || tool.isBlank()) {
            throw new IllegalArgumentException("A tool needs a name, got '" + tool + "'");
        }
        Map<String, Object> rule = Map.of("pattern", pattern, "server", server, "tool", tool,
                "arguments", Map.copyOf(Objects.requireNonNull(arguments, "arguments")));
        Json.write(rule); // refuses now, not when the server starts, an argument JSON cannot carry
        Map<String, Object> tools = "tools".equals(answer.get("kind"))
                ? new LinkedHashMap<>(answer)
                : new LinkedHashMap<>(Map.of("kind", "tools", "otherwise", answer));
        tools.put("rules", withRule(tools.get("rules"), rule));
        return answeringAs(Map.copyOf(tools));
    }

    /**
     * How long the agent waits for an MCP server's answer to a call ({@code timeoutInMillis} of
     * {@code @elizaos/plugin-mcp}, for each of its servers; the plugin's default is 60 seconds). A call that takes
     * longer leaves the message unanswered.
     */
    public ElizaTestAgent mcpTimeout(Duration timeout) {
        return new ElizaTestAgent(name, id, answer, mcp.withTimeout(timeout));
    }

    /** {@code answer} with its answer to messages that call no tool changed by {@code change}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withTextAnswer(Map<String, Object> answer,
                                                      UnaryOperator<Map<String, Object>> change) {
        if (!"tools".equals(answer.get("kind"))) {
            return change.apply(answer);
        }
        Map<String, Object> tools = new LinkedHashMap<>(answer);
        tools.put("otherwise", change.apply((Map<String, Object>) answer.get("otherwise")));
        return Map.copyOf(tools);
    }

    /** The rules of an answer (a list, or null for none) with {@code rule} added at the end. */
    @SuppressWarnings("unchecked")
    private static List<Object> withRule(Object rules, Object rule) {
        List<Object> added = new ArrayList<>(rules != null ? (List<Object>) rules : List.of());
        added.add(rule);
        return List.copyOf(added);
    }

    public String name() {
        return name;
    }

    public String id() {
        return id;
    }

    /** The agent as the server's --agents-file describes it; "mcp" only for an agent with MCP servers. */
    Map<String, Object> toSpec() {
        Map<String, Object> spec = new LinkedHashMap<>(Map.of("name", name, "id", id, "answer", answer));
        mcp.settings().ifPresent(settings -> spec.put("mcp", settings));
        return spec;
    }

    @Override
    public String toString() {
        return name + " (" + id + ")";
    }
}
