package org.cameleliza.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
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

    private ElizaTestAgent(String name, String id, Map<String, Object> answer) {
        this.name = name;
        this.id = id;
        this.answer = answer;
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
        return new ElizaTestAgent(name, UUID.fromString(uuid).toString(), answer);
    }

    /** Answers every message with {@code text}. */
    public ElizaTestAgent answering(String text) {
        return new ElizaTestAgent(name, id, Map.of("kind", "fixed", "text", Objects.requireNonNull(text, "text")));
    }

    /** Answers {@code "<name> echoes: M"} (the default). */
    public ElizaTestAgent echoing() {
        return new ElizaTestAgent(name, id, Map.of("kind", "echo"));
    }

    /**
     * Answers with a JavaScript function of the message: {@code script} is the body of
     * {@code function (prompt, agentName)} and returns the answer (a string or a promise of one), e.g.
     * {@code "return 'You said ' + prompt.length + ' characters';"}. It runs in the server's Node process.
     */
    public ElizaTestAgent answeringWithScript(String script) {
        return new ElizaTestAgent(name, id, Map.of("kind", "script", "source", Objects.requireNonNull(script)));
    }

    /**
     * Adds a rule: a message in which the regular expression {@code pattern} finds a match (case-insensitive) is
     * answered with {@code answer}, where {@code $1} to {@code $9} are the match's groups. Rules are tried in the
     * order they were added; a message no rule matches gets the {@link #otherwise(String)} answer (by default the
     * echo). The pattern must be valid in both Java and JavaScript: Java's check is here, JavaScript's when the server
     * starts (a server that cannot compile it does not start, and its log names the pattern).
     */
    @SuppressWarnings("unchecked")
    public ElizaTestAgent when(String pattern, String answer) {
        Pattern.compile(pattern);
        Map<String, Object> table = "table".equals(this.answer.get("kind"))
                ? new LinkedHashMap<>(this.answer)
                : new LinkedHashMap<>(Map.of("kind", "table", "otherwise", this.answer));
        List<Map<String, String>> rules = new ArrayList<>((List<Map<String, String>>) table.getOrDefault("rules", List.of()));
        rules.add(Map.of("pattern", pattern, "answer", Objects.requireNonNull(answer, "answer")));
        table.put("rules", List.copyOf(rules));
        return new ElizaTestAgent(name, id, Map.copyOf(table));
    }

    /** The answer to messages that no {@link #when(String, String)} rule matches. */
    public ElizaTestAgent otherwise(String answer) {
        Map<String, Object> table = "table".equals(this.answer.get("kind"))
                ? new LinkedHashMap<>(this.answer)
                : new LinkedHashMap<>(Map.of("kind", "table", "rules", List.of()));
        table.put("otherwise", Map.of("kind", "fixed", "text", Objects.requireNonNull(answer, "answer")));
        return new ElizaTestAgent(name, id, Map.copyOf(table));
    }

    public String name() {
        return name;
    }

    public String id() {
        return id;
    }

    /** The agent as the server's --agents-file describes it. */
    Map<String, Object> toSpec() {
        return Map.of("name", name, "id", id, "answer", answer);
    }

    @Override
    public String toString() {
        return name + " (" + id + ")";
    }
}
