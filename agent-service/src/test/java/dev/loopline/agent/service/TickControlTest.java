package dev.loopline.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.core.control.Admission;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.schemas.events.TickCompleted;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fail closed until the control topic is read; halts reach running ticks; interrupts stay inside the maker. */
class TickControlTest {

    private static final Instant AT = Instant.parse("2026-11-21T08:00:00Z");

    @Test
    void beforeTheControlTopicIsReadATickIsRefusedAfterTheTimeoutNamingWhy() {
        TickControl control = control(Duration.ofMillis(50));

        assertThatThrownBy(() -> control.admission("docs", "platform"))
                .isInstanceOf(ControlUnavailableException.class)
                .hasMessage("the control topic was not read to its end within 50ms, so kill switches and budget"
                        + " halts are unknown and the tick does not run");
        assertThat(control.state().caughtUp()).isFalse();
    }

    @Test
    void onceCaughtUpAdmissionsFollowTheBoard() {
        TickControl control = control(Duration.ofMillis(50));
        control.state().apply(kill("docs", KillSwitch.State.KILLED));
        control.state().markCaughtUp();

        assertThat(control.admission("docs", "platform").halted()).isTrue();
        assertThat(control.admission("other", "platform")).isEqualTo(Admission.RUN);
        control.state().remove("loop:docs");
        assertThat(control.admission("docs", "platform")).isEqualTo(Admission.RUN);
    }

    @Test
    void stoppingTheAgentHaltsEveryRunningTickWithTheTimeoutCodeAndInterruptsItsMaker() throws Exception {
        TickControl control = control(Duration.ofMillis(50));
        control.state().markCaughtUp();
        RunningTick docs = control.start("docs", "platform", "t-1");
        RunningTick other = control.start("other", "infra", "t-2");
        BlockedMaker maker = BlockedMaker.startIn(docs);

        List<String> halted =
                control.haltAll(Admission.Halt.of(TickCompleted.Halt.TIMEOUT, "agent-service was stopped"));

        assertThat(halted).containsExactlyInAnyOrder("t-1", "t-2");
        assertThat(maker.interruptedWithin(10)).isTrue();
        assertThat(docs.halted().orElseThrow().code()).isEqualTo(TickCompleted.Halt.TIMEOUT);
        assertThat(other.haltReason()).contains("agent-service was stopped");
        assertThat(AgentService.halted(700, 1, docs.halted().get()).halt()).isEqualTo(TickCompleted.Halt.TIMEOUT);
        docs.close();
        other.close();
    }

    @Test
    void aKillHaltsARunningTickOfItsLoopOnlyAndInterruptsItsMaker() throws Exception {
        TickControl control = control(Duration.ofMillis(50));
        control.state().markCaughtUp();
        RunningTick docs = control.start("docs", "platform", "t-1");
        RunningTick other = control.start("other", "platform", "t-2");
        BlockedMaker maker = BlockedMaker.startIn(docs);

        control.state().apply(kill("docs", KillSwitch.State.KILLED));

        assertThat(maker.interruptedWithin(30)).isTrue();
        // the interrupt meant for the maker does not leak into the clean-up after it
        assertThat(maker.interruptLeaked()).isFalse();
        assertThat(docs.haltReason()).hasValue("kill switch loop:docs set by alice at 2026-11-21T08:00:00Z: stop");
        assertThat(other.haltReason()).isEmpty();
        docs.close();
        other.close();
    }

    @Test
    void aTickStartedUnderAKillIsHaltedBeforeItsMakerRuns() {
        TickControl control = control(Duration.ofMillis(50));
        control.state().apply(kill("docs", KillSwitch.State.KILLED));
        control.state().markCaughtUp();

        try (RunningTick tick = control.start("docs", null, "t-3")) {
            assertThatThrownBy(() -> tick.interruptibly(() -> "ran"))
                    .isInstanceOf(RunningTick.HaltedException.class)
                    .hasMessageStartingWith("kill switch loop:docs");
        }
    }

    private static KillSwitch kill(String loop, KillSwitch.State state) {
        return new KillSwitch(ControlScope.LOOP, loop, state, "stop", "alice", AT);
    }

    private static TickControl control(Duration timeout) {
        TickControl control = new TickControl();
        control.config = new TestAgentConfig("loopline.control", timeout);
        return control;
    }
}
