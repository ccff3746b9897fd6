package dev.loopline.core.control;

import dev.loopline.schemas.control.ControlRecord;
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

    /** A kill switch or a budget halt: nothing of the loop may run, running ticks included. */
    record Halt(String reason, ControlRecord cause) implements Admission {
        public Halt {
            Objects.requireNonNull(reason, "reason");
        }
    }

    default boolean halted() {
        return this instanceof Halt;
    }
}
