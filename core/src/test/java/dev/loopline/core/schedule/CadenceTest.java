package dev.loopline.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CadenceTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

    static Stream<Arguments> validCadences() {
        return Stream.of(
                Arguments.of("30s", Duration.ofSeconds(30), Duration.ofSeconds(30)),
                Arguments.of("5m", Duration.ofMinutes(5), Duration.ofMinutes(5)),
                Arguments.of("1h", Duration.ofHours(1), Duration.ofHours(1)),
                Arguments.of("1d", Duration.ofDays(1), Duration.ofDays(1)),
                Arguments.of("5m-15m", Duration.ofMinutes(5), Duration.ofMinutes(15)),
                Arguments.of("90s-2m", Duration.ofSeconds(90), Duration.ofMinutes(2)),
                Arguments.of("1h-1d", Duration.ofHours(1), Duration.ofDays(1)),
                Arguments.of("10m-10m", Duration.ofMinutes(10), Duration.ofMinutes(10)),
                Arguments.of("366d", Duration.ofDays(366), Duration.ofDays(366)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCadences")
    void parsesIntervalsAndRanges(String text, Duration min, Duration max) {
        Cadence cadence = Cadence.parse(text);

        assertThat(cadence.min()).isEqualTo(min);
        assertThat(cadence.max()).isEqualTo(max);
        assertThat(cadence.isRange()).isEqualTo(!min.equals(max));
    }

    static Stream<Arguments> invalidCadences() {
        return Stream.of(
                Arguments.of("", "cadence is empty"),
                Arguments.of("   ", "cadence is empty"),
                Arguments.of("5", "cadence '5' is not valid: expected an interval such as 30s"),
                Arguments.of("5x", "cadence '5x' is not valid: expected an interval such as 30s"),
                Arguments.of("m5", "cadence 'm5' is not valid"),
                Arguments.of("5m-", "cadence '5m-' is not valid"),
                Arguments.of("-5m", "cadence '-5m' is not valid"),
                Arguments.of("5m - 15m", "cadence '5m - 15m' is not valid"),
                Arguments.of("1.5h", "cadence '1.5h' is not valid"),
                Arguments.of("0s", "cadence '0s' is not valid: a cadence interval must be positive, got 0s"),
                Arguments.of("15m-5m", "from the shorter to the longer interval, got 15m-5m"),
                Arguments.of("367d", "at most 366d, got 367d"),
                Arguments.of("999999999s", "at most 366d"));
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("invalidCadences")
    void rejectsMalformedCadencesWithAClearMessage(String text, String message) {
        assertThatThrownBy(() -> Cadence.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void nullCadenceIsEmpty() {
        assertThatThrownBy(() -> Cadence.parse(null)).hasMessageStartingWith("cadence is empty");
    }

    @Test
    void fixedIntervalNextIsLastPlusInterval() {
        assertThat(Cadence.parse("30s").next(T0, RandomGenerator.of("L64X128MixRandom")))
                .isEqualTo(Instant.parse("2026-11-21T06:00:30Z"));
    }

    @Test
    void rangeNextUsesTheRandomGeneratorWithinTheBounds() {
        RandomGenerator lowest = fixed(0);
        RandomGenerator highest = fixed(Duration.ofMinutes(10).toMillis());

        Cadence cadence = Cadence.parse("5m-15m");

        assertThat(cadence.next(T0, lowest)).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(cadence.next(T0, highest)).isEqualTo(T0.plus(Duration.ofMinutes(15)));
    }

    @Test
    void toStringRoundTrips() {
        assertThat(Cadence.parse("5m-15m")).hasToString("5m-15m");
        assertThat(Cadence.parse("90s")).hasToString("90s");
        assertThat(Cadence.parse("120s")).hasToString("2m");
    }

    @Property
    void nextRunOfARangeIsAlwaysWithinTheRange(
            @ForAll @IntRange(min = 1, max = 3600) int lowSeconds,
            @ForAll @IntRange(min = 0, max = 86_400) int extraSeconds,
            @ForAll long seed,
            @ForAll @LongRange(min = 0, max = 4_000_000_000L) long lastEpochSecond) {
        Cadence cadence = Cadence.parse(lowSeconds + "s-" + (lowSeconds + extraSeconds) + "s");
        Instant last = Instant.ofEpochSecond(lastEpochSecond);

        Instant next = cadence.next(last, new SplittableRandom(seed));

        assertThat(next).isBetween(last.plus(cadence.min()), last.plus(cadence.max()));
    }

    /** A generator whose bounded long is always {@code value} (clamped into the bound). */
    private static RandomGenerator fixed(long value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return value;
            }

            @Override
            public long nextLong(long bound) {
                return Math.min(value, bound - 1);
            }
        };
    }
}
