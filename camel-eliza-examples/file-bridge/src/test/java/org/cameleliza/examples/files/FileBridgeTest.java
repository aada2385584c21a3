package org.cameleliza.examples.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.cameleliza.test.ElizaServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's main job against a real Eliza server whose agent answers like the local one the command starts:
 * the YAML route and the Java DSL route, which must behave the same.
 */
class FileBridgeTest {

    @RegisterExtension
    static final ElizaServerExtension ELIZA = ElizaServerExtension.withAgents(FileBridge.HELPDESK);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = { "yaml", "java" })
    void theSampleQuestionsAreAnsweredIntoTheAnswersFolder(String routes) throws Exception {
        FileBridge.Summary summary = FileBridge.run(settings(routes, true, Duration.ofSeconds(60)));

        assertThat(summary.failed()).isEmpty();
        assertThat(summary.pending()).isEmpty();
        assertThat(summary.questions()).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("answers/opening-hours.answer.txt")))
                .isEqualTo("We are open Monday to Friday, 9:00 to 17:00.");
        assertThat(Files.readString(dir.resolve("answers/refund-4711.answer.txt")))
                .isEqualTo("The refund for order 4711 was sent on Monday; expect it within 5 days.");
        assertThat(Files.readString(dir.resolve("answers/camel.answer.txt")))
                .startsWith("Yes: with camel-eliza");
        assertThat(FileBridge.listTxt(dir.resolve("inbox/.done"))).containsExactlyInAnyOrderElementsOf(FileBridge.SAMPLES);
        assertThat(summary.toString()).contains("3 answered, 0 failed");
    }

    @ParameterizedTest
    @ValueSource(strings = { "yaml", "java" })
    void eachFileNameIsAConversationOfItsOwnAcrossRuns(String routes) throws Exception {
        Map<String, String> first = channels(FileBridge.run(settings(routes, true, Duration.ofSeconds(60))));
        Map<String, String> second = channels(FileBridge.run(settings(routes, true, Duration.ofSeconds(60))));

        assertThat(first).hasSize(3);
        assertThat(first.values()).doesNotHaveDuplicates();
        assertThat(second).isEqualTo(first);
    }

    @ParameterizedTest
    @ValueSource(strings = { "yaml", "java" })
    void aQuestionThatIsNotAnsweredInTimeIsMovedToFailedNotLost(String routes) throws Exception {
        Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(dir.resolve("inbox/slow.txt"), "[slow:6000] What are your opening hours?");

        FileBridge.Summary summary = FileBridge.run(settings(routes, false, Duration.ofSeconds(2)));

        assertThat(summary.failed()).containsExactly("slow.txt");
        assertThat(Files.readString(dir.resolve("inbox/.failed/slow.txt"))).contains("opening hours");
        assertThat(dir.resolve("answers/slow.answer.txt")).doesNotExist();
        assertThat(summary.toString()).contains("0 answered, 1 failed").contains("slow.txt FAILED");
    }

    private FileBridge.Settings settings(String routes, boolean samples, Duration replyTimeout) {
        return new FileBridge.Settings(ELIZA.url(), ELIZA.agentId("Helpdesk"), null, dir, routes, false, samples,
                replyTimeout, Duration.ofSeconds(120));
    }

    private static Map<String, String> channels(FileBridge.Summary summary) {
        return summary.answers().stream()
                .collect(Collectors.toMap(BridgeSummary.Answer::file, BridgeSummary.Answer::conversationChannelId));
    }
}
