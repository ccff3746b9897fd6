package dev.loopline.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.events.EarlierAttempt;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryBreakerTest {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    private static final List<EarlierAttempt> EARLIER = List.of(
            new EarlierAttempt(1, List.of("tests failed: exit 1 after 812 ms", "patch touches 3 files"), A),
            new EarlierAttempt(2, List.of("patch does not apply"), B));

    @ParameterizedTest
    @CsvSource(
            delimiterString = " | ",
            value = {
                // the same failure, spelled with other numbers, case, spacing or order
                "Patch  touches 4 files;Tests failed: exit 1 after 9031 ms | 1",
                "patch does not apply | 2",
                "PATCH DOES NOT APPLY | 2",
                // a new failure
                "tests failed: exit 2 after 812 ms; a new test fails | 0",
                "tests failed: the harness changed | 0",
            })
    void aRepeatedFailureIsTheSameReasonsNormalised(String reasons, int sameAs) {
        List<String> mine = List.of(reasons.split(";"));

        var stop = RetryBreaker.repeatedFailure(EARLIER, 3, mine);

        if (sameAs == 0) {
            assertThat(stop).isEmpty();
        } else {
            assertThat(stop).hasValueSatisfying(why -> assertThat(why)
                    .startsWith("attempt 3 failed the same way as attempt " + sameAs + " (")
                    .endsWith("the breaker stops retrying a repeated failure"));
        }
    }

    @Test
    void anAttemptWithoutReasonsIsNeverARepeat() {
        List<EarlierAttempt> silent = List.of(new EarlierAttempt(1, List.of(), A));

        assertThat(RetryBreaker.repeatedFailure(silent, 2, List.of())).isEmpty();
        assertThat(RetryBreaker.repeatedFailure(silent, 2, List.of("  "))).isEmpty();
    }

    @Test
    void theSameDiffAsAnEarlierAttemptIsNoProgress() {
        assertThat(RetryBreaker.noProgress(EARLIER, 3, B))
                .hasValue("attempt 3 made no progress: it proposed the same diff as attempt 2 (sha256 bbbbbbbbbbbb),"
                        + " which the checker rejected; the breaker stops retrying");
        assertThat(RetryBreaker.noProgress(EARLIER, 3, "c".repeat(64))).isEmpty();
        assertThat(RetryBreaker.noProgress(List.of(), 1, A)).isEmpty();
    }

    @Test
    void normalisingIgnoresNumbersCaseSpacingAndOrder() {
        assertThat(RetryBreaker.normalise(List.of("B  fails in 12 ms", " a 7 ")))
                .isEqualTo(RetryBreaker.normalise(List.of("a 8", "b fails in 3 MS")))
                .isEqualTo("a #\nb fails in # ms");
        assertThat(RetryBreaker.normalise(null)).isEmpty();
    }
}
