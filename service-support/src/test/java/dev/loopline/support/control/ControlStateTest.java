package dev.loopline.support.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.control.Admission;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.testsupport.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ControlStateTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void beforeTheTopicIsReadToItsEndTheAdmissionIsUnknownEvenWithoutRecords() throws Exception {
        ControlState state = new ControlState(CLOCK);

        assertThat(state.admission("docs", "platform", Duration.ofMillis(50))).isEmpty();
        assertThat(state.caughtUp()).isFalse();
    }

    @Test
    void onceCaughtUpTheRecordsInForceDecide() throws Exception {
        ControlState state = new ControlState(CLOCK);
        state.apply(new KillSwitch(
                ControlScope.TEAM, "platform", KillSwitch.State.KILLED, "incident", "alice", CLOCK.instant()));
        state.markCaughtUp();

        assertThat(state.admission("docs", "platform", Duration.ZERO))
                .get()
                .isInstanceOfSatisfying(Admission.Halt.class, halt -> assertThat(halt.reason())
                        .startsWith("kill switch team:platform set by alice"));
        assertThat(state.admissionNow("docs", "payments")).isEqualTo(Admission.RUN);
        assertThat(state.records()).isEqualTo(1);

        state.remove(KillSwitch.key(ControlScope.TEAM, "platform"));
        assertThat(state.admissionNow("docs", "platform")).isEqualTo(Admission.RUN);
    }

    @Test
    void everyChangeIsReportedToTheOwner() {
        AtomicInteger changes = new AtomicInteger();
        ControlState state = new ControlState(CLOCK, changes::incrementAndGet);

        state.apply(new KillSwitch(ControlScope.LOOP, "docs", KillSwitch.State.KILLED, "r", "bob", CLOCK.instant()));
        state.remove(KillSwitch.key(ControlScope.LOOP, "docs"));
        state.markCaughtUp();

        assertThat(changes).hasValue(3);
    }

    @Test
    void theUnknownReasonNamesTheWait() {
        assertThat(ControlState.unknownWithin(Duration.ofSeconds(30)))
                .isEqualTo("the control topic was not read to its end within 30s, so kill switches and budget halts"
                        + " are unknown");
        assertThat(ControlState.unknownWithin(Duration.ofMillis(1500))).contains("within 1500ms");
    }

    @Test
    void aBoardNotInSyncForLongerThanTheBoundAnswersNothing() throws Exception {
        MutableClock clock = new MutableClock(CLOCK.instant());
        ControlState state = new ControlState(clock, () -> {}, Duration.ofSeconds(15));
        state.markCaughtUp();
        assertThat(state.fresh()).isTrue();

        clock.advance(Duration.ofSeconds(10));
        state.markInSync();
        clock.advance(Duration.ofSeconds(15));
        assertThat(state.admission("docs", "platform", Duration.ZERO)).contains(Admission.RUN);

        clock.advance(Duration.ofSeconds(1));
        assertThat(state.fresh()).isFalse();
        assertThat(state.admission("docs", "platform", Duration.ZERO)).isEmpty();
        assertThat(state.whyUnknown(Duration.ofSeconds(30)))
                .isEqualTo("the control topic reader has not been in sync with the topic for 16s (bound 15s), so kill"
                        + " switches and budget halts may be stale");
    }

    @Test
    void beforeCatchingUpTheReasonIsTheWait() {
        ControlState state = new ControlState(CLOCK);

        assertThat(state.fresh()).isFalse();
        assertThat(state.whyUnknown(Duration.ofSeconds(30)))
                .isEqualTo(ControlState.unknownWithin(Duration.ofSeconds(30)));
    }
}
