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
     * @param stated the halt code when no record caused the halt ({@link #of}); null otherwise
     */
    record Halt(String reason, ControlRecord cause, TickCompleted.Halt stated) implements Admission {
        public Halt {
            Objects.requireNonNull(reason, "reason");
        }

        public Halt(String reason, ControlRecord cause) {
            this(reason, cause, null);
        }

        /**
         * A halt that comes from the process, not from a control record: the agent stopping before a running attempt
         * could finish ({@link TickCompleted.Halt#TIMEOUT}).
         */
        public static Halt of(TickCompleted.Halt code, String reason) {
            return new Halt(reason, null, Objects.requireNonNull(code, "code"));
        }

        /**
         * The halt's code on a halted tick: the code it was made with, else the kind of record that caused it, or an
         * unreadable board.
         */
        public TickCompleted.Halt code() {
            if (stated != null) {
                return stated;
            }
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
