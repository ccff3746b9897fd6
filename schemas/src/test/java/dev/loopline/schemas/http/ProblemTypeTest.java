package dev.loopline.schemas.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProblemTypeTest {

    @Test
    void everySlugIsUniqueLowerCaseAndReadBackFromItsUri() {
        assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::slug)).doesNotHaveDuplicates();
        for (ProblemType type : ProblemType.values()) {
            assertThat(type.slug()).matches("[a-z][a-z0-9]*(-[a-z0-9]+)*");
            assertThat(type.status()).isBetween(400, 599);
            assertThat(ProblemType.fromUri(type.uri())).contains(type);
        }
    }

    @Test
    void anUnknownTypeIsEmptyNotAGuess() {
        assertThat(ProblemType.fromUri("https://loopline.dev/problems/from-the-future"))
                .isEmpty();
        assertThat(ProblemType.fromUri(null)).isEmpty();
    }

    @Test
    void onlyABusyOrBrieflyUnavailableDependencyIsRetriable() {
        assertThat(ProblemType.ADMISSION_UNAVAILABLE.retriable()).isTrue();
        assertThat(ProblemType.TICK_IN_FLIGHT.retriable()).isTrue();
        assertThat(ProblemType.BUDGET_EXHAUSTED.retriable()).isFalse();
        assertThat(ProblemType.FORBIDDEN.retriable()).isFalse();
        for (ProblemType type : ProblemType.values()) {
            if (type.status() == 503) {
                assertThat(type.retriable()).as(type.slug()).isTrue();
            }
        }
    }
}
