package dev.loopline.scheduler.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.TickTriggered;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerServiceTest {

    private static final Instant START = Instant.parse("2026-11-21T06:00:00Z");

    @TempDir
    Path specs;

    private final MutableClock clock = new MutableClock(START);
    private final List<Event> published = new ArrayList<>();
    private SchedulerService scheduler;
    private boolean brokerDown;

    @BeforeEach
    void setUp() {
        scheduler = new SchedulerService(
                new LoopSpecReader(),
                new SchedulerService.Settings(specs, Duration.ofMinutes(15), Duration.ofSeconds(5)),
                clock,
                new SplittableRandom(42),
                event -> {
                    if (brokerDown) {
                        throw new IllegalStateException("broker unavailable");
                    }
                    published.add(event);
                });
    }

    private void spec(String file, String yaml) throws IOException {
        Files.writeString(specs.resolve(file), yaml);
    }

    private void loop(String id, String level, String cadence, boolean paused) throws IOException {
        spec(
                id + ".yaml",
                "{id: " + id + ", team: platform, kind: report, level: " + level + ", cadence: " + cadence
                        + ", paused: " + paused + ", target: {repo: /srv/repo}}");
    }

    @Test
    void aNewLoopFirstRunsWithinTheFirstRunJitterThenOnItsCadence() throws Exception {
        loop("docs", "L1", "30s", false);
        scheduler.reload();

        clock.advance(Duration.ofSeconds(5));
        List<Event> first = scheduler.runDue();

        assertThat(first).singleElement().satisfies(e -> {
            assertThat(e.loopId()).isEqualTo("docs");
            assertThat(e.team()).isEqualTo("platform");
            assertThat(e.attempt()).isZero();
            assertThat(e.tickId()).matches("20261121T060005Z-[0-9a-f]{8}");
            TickTriggered t = e.dataAs(TickTriggered.class);
            assertThat(t.trigger().kind()).isEqualTo("cadence");
            assertThat(t.specHash()).hasSize(64);
            assertThat(t.spec().id()).isEqualTo("docs");
        });
        // the event is valid against the schemas, tick id pattern included
        assertThat(EventCodec.decode(EventCodec.encode(first.get(0))).tickId())
                .isEqualTo(first.get(0).tickId());
        assertThat(scheduler.loop("docs").orElseThrow().nextRunAt()).isEqualTo(START.plusSeconds(35));

        scheduler.completed("docs", first.get(0).tickId());
        clock.advance(Duration.ofSeconds(29));
        assertThat(scheduler.runDue()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(scheduler.runDue()).hasSize(1);
    }

    @Test
    void pausedAndL0LoopsNeverRunOnCadence() throws IOException {
        loop("paused-loop", "L2", "30s", true);
        loop("plan-only", "L0", "30s", false);
        scheduler.reload();

        clock.advance(Duration.ofHours(2));

        assertThat(scheduler.runDue()).isEmpty();
        assertThat(scheduler.loops()).extracting(LoopStatus::nextRunAt).containsOnlyNulls();
    }

    @Test
    void aLoopWithATickInFlightIsNotTriggeredAgainUntilItCompletesOrTimesOut() throws IOException {
        loop("docs", "L1", "30s", false);
        scheduler.reload();
        clock.advance(Duration.ofSeconds(5));
        Event first = scheduler.runDue().get(0);

        clock.advance(Duration.ofMinutes(1));
        assertThat(scheduler.runDue()).isEmpty();
        assertThat(scheduler.loop("docs").orElseThrow().inFlightTickId()).isEqualTo(first.tickId());
        assertThatThrownBy(() -> scheduler.triggerManually("docs", "alice"))
                .isInstanceOf(TriggerRefusedException.class)
                .extracting(e -> ((TriggerRefusedException) e).reason())
                .isEqualTo(TriggerRefusedException.Reason.TICK_IN_FLIGHT);

        clock.advance(Duration.ofMinutes(15));
        assertThat(scheduler.runDue()).singleElement().extracting(Event::tickId).isNotEqualTo(first.tickId());
    }

    @Test
    void aCompletedTickFreesTheLoopAndStaleCompletionsAreIgnored() throws IOException {
        loop("docs", "L1", "1h", false);
        scheduler.reload();
        Event manual = scheduler.triggerManually("docs", "alice");

        scheduler.completed("docs", "20200101T000000Z-00000000");
        assertThat(scheduler.loop("docs").orElseThrow().inFlightTickId()).isEqualTo(manual.tickId());

        scheduler.completed("docs", manual.tickId());
        assertThat(scheduler.loop("docs").orElseThrow().inFlightTickId()).isNull();
        assertThat(manual.dataAs(TickTriggered.class).trigger().by()).isEqualTo("alice");
        assertThat(manual.dataAs(TickTriggered.class).trigger().kind()).isEqualTo("manual");
    }

    @Test
    void aRangeCadenceRunsAtARandomPointOfTheRange() throws IOException {
        loop("ranged", "L1", "5m-15m", false);
        scheduler.reload();
        clock.advance(Duration.ofSeconds(5));
        Event first = scheduler.runDue().get(0);
        scheduler.completed("ranged", first.tickId());

        Instant next = scheduler.loop("ranged").orElseThrow().nextRunAt();

        assertThat(next)
                .isBetween(
                        clock.instant().plus(Duration.ofMinutes(5)),
                        clock.instant().plus(Duration.ofMinutes(15)));
    }

    @Test
    void anInvalidSpecIsListedWithItsProblemsAndNeverTriggered() throws IOException {
        loop("good", "L1", "30s", false);
        spec("bad.yaml", "{id: bad, kind: report, level: L7, target: {repo: /srv/repo}}");
        spec("zero.yaml", "{id: zero, kind: report, level: L1, cadence: 0s, target: {repo: /srv/repo}}");
        scheduler.reload();

        assertThat(scheduler.loops())
                .extracting(LoopStatus::id, LoopStatus::valid)
                .containsExactly(tuple("good", true), tuple("bad", false), tuple("zero", false));
        LoopStatus bad = scheduler.loop("bad").orElseThrow();
        assertThat(bad.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(specs.resolve("bad.yaml").toString());
            assertThat(p.field()).isEqualTo("$.level");
        });
        assertThat(scheduler.loop("zero").orElseThrow().problems())
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.field()).isEqualTo("$.cadence");
                    assertThat(p.message()).contains("must be positive");
                });
        assertThatThrownBy(() -> scheduler.triggerManually("bad", null))
                .extracting(e -> ((TriggerRefusedException) e).reason())
                .isEqualTo(TriggerRefusedException.Reason.INVALID_SPEC);

        clock.advance(Duration.ofMinutes(1));
        assertThat(scheduler.runDue()).extracting(Event::loopId).containsExactly("good");
    }

    @Test
    void aChangedSpecIsTriggeredWithItsNewHash() throws IOException {
        loop("docs", "L1", "30s", false);
        scheduler.reload();
        String oldHash = scheduler.loop("docs").orElseThrow().specHash();

        loop("docs", "L2", "30s", false);
        scheduler.reload();
        clock.advance(Duration.ofSeconds(5));

        TickTriggered triggered = scheduler.runDue().get(0).dataAs(TickTriggered.class);
        assertThat(triggered.specHash()).isNotEqualTo(oldHash).isEqualTo(LoopSpecReader.hash(triggered.spec()));
        assertThat(triggered.spec().level()).hasToString("L2");
    }

    @Test
    void aFailedPublishReleasesTheLoopSoTheNextCheckRetries() throws IOException {
        loop("docs", "L1", "30s", false);
        scheduler.reload();
        clock.advance(Duration.ofSeconds(5));

        brokerDown = true;
        assertThat(scheduler.runDue()).isEmpty();
        assertThat(scheduler.loop("docs").orElseThrow().inFlightTickId()).isNull();
        assertThatThrownBy(() -> scheduler.triggerManually("docs", null))
                .extracting(e -> ((TriggerRefusedException) e).reason())
                .isEqualTo(TriggerRefusedException.Reason.PUBLISH_FAILED);

        brokerDown = false;
        assertThat(scheduler.runDue()).hasSize(1);
        assertThat(published).hasSize(1);
    }

    @Test
    void unknownLoopIsRefused() {
        scheduler.reload();

        assertThatThrownBy(() -> scheduler.triggerManually("nope", null))
                .extracting(e -> ((TriggerRefusedException) e).reason())
                .isEqualTo(TriggerRefusedException.Reason.UNKNOWN_LOOP);
    }
}
