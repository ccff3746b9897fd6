package dev.loopline.gate.service;

import dev.loopline.core.control.Admission;
import dev.loopline.gate.config.GateConfig;
import dev.loopline.support.control.ControlState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * What the control topic says, for the gate: service-support's {@link ControlState}, filled by the control reader.
 * Fails closed: until the topic has been read to its end, an admission waits (bounded) and then halts.
 */
@ApplicationScoped
public class GateControl {

    @Inject
    GateConfig config;

    private final ControlState state = new ControlState(Clock.systemUTC());

    public ControlState state() {
        return state;
    }

    /** The loop's admission; a halt naming why when the control topic could not be read in time (fail closed). */
    public Admission admission(String loopId, String team) {
        try {
            return state.admission(loopId, team, config.controlCatchUpTimeout())
                    .orElseGet(() -> new Admission.Halt(state.whyUnknown(config.controlCatchUpTimeout()), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Admission.Halt("interrupted while waiting for the control topic", null);
        }
    }
}
