package org.cameleliza.test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cameleliza.test.AnswersFile.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The answers file of the local server: what a good one gives, and what each mistake is told. */
class AnswersFileTest {

    private static final String GOOD = """
            {
              "refund.*order (\\\\d+)": "Refund for order $1 is on its way",
              "opening hours|open": "We are open from 9 to 5.",
              "caf\\u00e9 \\"special\\"": "Two lines:\\nyes\\t/ \\/",
              "otherwise": "Sorry, I don't know."
            }
            """;

    @Test
    void aGoodFileGivesItsRulesInOrderAndTheOtherwiseAnswer() {
        AnswersFile answers = AnswersFile.parse("answers.json", GOOD);

        assertThat(answers.rules()).containsExactly(
                new Rule("refund.*order (\\d+)", "Refund for order $1 is on its way", 2),
                new Rule("opening hours|open", "We are open from 9 to 5.", 3),
                new Rule("café \"special\"", "Two lines:\nyes\t/ /", 4));
        assertThat(answers.otherwise()).isEqualTo("Sorry, I don't know.");
        assertThat(answers.describe()).isEqualTo("3 patterns, otherwise \"Sorry, I don't know.\"");
    }

    @Test
    void theAgentAnswersAsTheTableKindOfTheHarness() {
        ElizaTestAgent agent = AnswersFile.parse("a.json", "{\"refund (\\\\w+)\": \"Refund $1.\"}")
                .applyTo(ElizaTestAgent.named("Echo"));

        assertThat(Json.write(agent.toSpec().get("answer"))).isEqualTo(Json.write(Map.of(
                "kind", "table",
                "rules", List.of(Map.of("pattern", "refund (\\w+)", "answer", "Refund $1.")),
                "otherwise", Map.of("kind", "echo"))));
        assertThat(AnswersFile.parse("a.json", "{\"x\": \"y\"}").describe()).isEqualTo("1 pattern, otherwise an echo");
    }

    @Test
    void aFileWithOnlyOtherwiseAnswersEveryMessageTheSame() {
        AnswersFile answers = AnswersFile.parse("a.json", "\uFEFF{\"otherwise\": \"Always this.\"}");

        assertThat(answers.rules()).isEmpty();
        Map<?, ?> answer = (Map<?, ?>) answers.applyTo(ElizaTestAgent.named("Echo")).toSpec().get("answer");
        assertThat(answer.get("rules")).isEqualTo(List.of());
        assertThat(answer.get("otherwise")).isEqualTo(Map.of("kind", "fixed", "text", "Always this."));
    }

    @Test
    void aFileIsReadAsUtf8AndAMissingOneIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("answers.json");
        Files.writeString(file, "{\"café\": \"crème\"}", StandardCharsets.UTF_8);
        assertThat(AnswersFile.read(file).rules()).containsExactly(new Rule("café", "crème", 1));

        assertThatThrownBy(() -> AnswersFile.read(dir.resolve("missing.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The answers file " + dir.resolve("missing.json") + " does not exist");
        Files.write(file, new byte[] { '{', '"', (byte) 0xe9, '"', ':', '"', 'x', '"', '}' });
        assertThatThrownBy(() -> AnswersFile.read(file)).hasMessageContaining(file + " is not UTF-8 text");
    }

    @Test
    void aBadRegularExpressionIsNamedWithItsLine() {
        assertThatThrownBy(() -> AnswersFile.parse("answers.json", "{\n  \"a\": \"b\",\n  \"refund (\\\\d+\": \"x\"\n}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("answers.json, line 3: the pattern \"refund (\\d+\" is not a regular "
                                        + "expression: Unclosed group");
    }

    @Test
    void aMissingOrEmptyAnswerIsNamed() {
        assertError("{\n  \"refund\": ,\n  \"b\": \"c\"\n}", "line 2, column 13: the pattern \"refund\" has no answer");
        assertError("{\"refund\":}", "line 1, column 11: the pattern \"refund\" has no answer");
        assertError("{\"refund\": \"  \"}", "line 1: the answer to \"refund\" is empty");
        assertError("{\"refund\": 42}", "the answer to \"refund\" must be a string in double quotes, found '42}'");
        assertError("{\"refund\": null}", "the answer to \"refund\" must be a string in double quotes, found 'null}'");
        assertError("{\"otherwise\": \"\"}", "the answer to \"otherwise\" is empty");
    }

    @Test
    void aSingleBackslashIsExplained() {
        assertError("{\n  \"order (\\d+)\": \"x\"\n}",
                "line 2, column 11: \\d is not an escape of JSON: a regular expression's backslash is written "
                + "twice in JSON, \"\\\\d\"");
    }

    @Test
    void mistakesOfJsonSyntaxAreNamedWithLineAndColumn() {
        assertError("", "line 1, column 1: expected '{'");
        assertError("[\"a\", \"b\"]", "line 1, column 1: expected '{' (an answers file is a JSON object");
        assertError("{\"a\": \"b\",\n}", "line 2, column 1: a ',' before '}': JSON allows no comma after the last answer");
        assertError("{\"a\": \"b\"\n \"c\": \"d\"}", "line 2, column 2: expected ',' or '}' after the answer to \"a\"");
        assertError("{\"a\" \"b\"}", "line 1, column 6: expected ':' after \"a\"");
        assertError("{a: \"b\"}", "expected a pattern in double quotes, found 'a: \"b\"}'");
        assertError("{\"a\": \"b}\n", "line 1, column 7: the string that starts here is not closed");
        assertError("{\"a\": \"b\"} x", "line 1, column 12: nothing may follow the object's closing '}'");
        assertError("{\"a\": \"b", "the string that starts here is not closed");
        assertError("{\"a\": \"\\u12\"}", "\\u must be followed by 4 hexadecimal digits");
        assertError("{\"a\": \"b\"", "expected ',' or '}' after the answer to \"a\", found the end of the file");
    }

    @Test
    void anEmptyFileOrPatternOrATwiceGivenPatternIsRefused() {
        assertError("{ }", "answers.json defines no answer");
        assertError("{\"\": \"b\"}", "line 1: an empty pattern matches every message; give the answer to every other "
                                     + "message as \"otherwise\"");
        assertError("{\n\"a\": \"b\",\n\"a\": \"c\"}", "line 3, column 1: the pattern \"a\" is given twice, on lines 2 and 3");
        assertError("{\"otherwise\": \"b\", \"otherwise\": \"c\"}", "the pattern \"otherwise\" is given twice");
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> AnswersFile.parse("answers.json", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageStartingWith("answers.json");
    }
}
