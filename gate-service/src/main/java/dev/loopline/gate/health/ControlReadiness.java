package dev.loopline.gate.health;

import dev.loopline.gate.config.GateConfig;
import dev.loopline.gate.service.GateControl;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the control topic has been read to its end: before that the kill switches are unknown. */
@Readiness
@ApplicationScoped
public class ControlReadiness implements HealthCheck {

    @Inject
    GateControl control;

    @Inject
    GateConfig config;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("control-topic")
                .status(control.state().fresh())
                .withData("caughtUp", control.state().caughtUp())
                .withData("topic", config.controlTopic())
                .withData("recordsInForce", control.state().records())
                .build();
    }
}
