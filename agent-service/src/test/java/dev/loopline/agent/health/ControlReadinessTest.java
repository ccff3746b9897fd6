package dev.loopline.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.agent.service.TestAgentConfig;
import dev.loopline.agent.service.TickControl;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ControlReadinessTest {

    @Test
    void notReadyUntilTheControlTopicIsReadToItsEnd() {
        TickControl control = new TickControl();
        ControlReadiness readiness = new ControlReadiness();
        readiness.control = control;
        readiness.config = new TestAgentConfig("loopline.control", Duration.ofSeconds(30));

        HealthCheckResponse before = readiness.call();
        control.state().markCaughtUp();
        HealthCheckResponse after = readiness.call();

        assertThat(before.getName()).isEqualTo("control-topic");
        assertThat(before.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(before.getData()).hasValueSatisfying(d -> assertThat(d).containsEntry("topic", "loopline.control"));
        assertThat(after.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
