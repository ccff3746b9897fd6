package dev.loopline.core.control;

import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlRecord;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.schemas.events.TickCompleted;
import java.util.Objects;

/** Whether a loop may run now: {@link Run}, {@link ReportOnly} (no writes: behave as L1) or {@link Halt}. */
public sealed interface Admission permits Admission.Run, Admission.ReportOnly, Admission.Halt {

    Admission RUN = new Run();

    /** Nothing in force stops or limits the loop. */
    record Run() implements Admission {}

    /** A budget crossed its report-only threshold: the loop may report but must not push or merge. */
    record ReportOnly(String reason, ControlRecord cause) implements Admission {
        public ReportOnly {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A kill switch or a budget halt: nothing of the loop may run, running ticks included.
     *
     * @param cause the record in force that halts the loop; null when the control board itself cannot be trusted
     */
    record Halt(String reason, ControlRecord cause) implements Admission {
        public Halt {
            Objects.requireNonNull(reason, "reason");
        }

        /** The halt's code on a halted tick: the kind of record that caused it, or an unreadable board. */
        public TickCompleted.Halt code() {
            if (cause instanceof KillSwitch) {
                return TickCompleted.Halt.KILL_SWITCH;
            }
            if (cause instanceof BudgetAlert) {
                return TickCompleted.Halt.BUDGET;
            }
            return TickCompleted.Halt.CONTROL_UNAVAILABLE;
        }
    }

    default boolean halted() {
        return this instanceof Halt;
    }
}
