package dev.loopline.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.EarlierAttempt;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReflectionsTest {

    private static ChangeVerified rejected(ChangeVerified.TestResult test) {
        return new ChangeVerified(
                ChangeVerified.Verdict.REJECT, List.of("tests failed"), List.of(), test, "main", "a", "", "b", 0, null);
    }

    @Test
    void everyRejectedAttemptGetsItsReasonsAndTheLatestAlsoItsTestCommandAndOutputTail() {
        List<EarlierAttempt> history = List.of(
                EarlierAttempt.of(1, List.of("patch touches test.sh"), "a"),
                EarlierAttempt.of(2, List.of("tests failed", "a finding"), "b"));
        String output = "x".repeat(Reflections.OUTPUT_CHARS) + "last line";

        List<String> texts = Reflections.of(
                history, rejected(new ChangeVerified.TestResult("sh test.sh", 1, false, 12, output, "none")));

        assertThat(texts).hasSize(2);
        assertThat(texts.get(0)).isEqualTo("Attempt 1 was rejected: patch touches test.sh");
        assertThat(texts.get(1))
                .startsWith("Attempt 2 was rejected: tests failed; a finding\nTest command: sh test.sh\n"
                        + "Test output (tail):\n")
                .endsWith("last line");
        assertThat(texts.get(1).substring(texts.get(1).indexOf("(tail):\n") + 8))
                .hasSize(Reflections.OUTPUT_CHARS);
    }

    @Test
    void reasonsShareTheBoundSoManyAttemptsStayShortButEachKeepsItsMinimum() {
        String longReason = "r".repeat(EarlierAttempt.MAX_REASON_CHARS);
        List<EarlierAttempt> history = List.of(
                EarlierAttempt.of(1, Collections.nCopies(6, longReason), "a"),
                EarlierAttempt.of(2, List.of(longReason), "b"));

        List<String> texts = Reflections.of(history, rejected(null));

        int perAttempt = Reflections.REFLECTION_CHARS / 2;
        assertThat(texts.get(0)).hasSize(perAttempt).endsWith("…");
        assertThat(texts.get(1)).isEqualTo("Attempt 2 was rejected: " + longReason);
        assertThat(Reflections.of(Collections.nCopies(100, history.get(0)), rejected(null)))
                .allSatisfy(t -> assertThat(t).hasSize(Reflections.MIN_REFLECTION_CHARS));
    }
}
