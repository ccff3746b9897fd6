package dev.loopline.core.spec;

import com.fasterxml.jackson.annotation.JsonValue;

/** The spec formats Loopline reads into its one model, {@link dev.loopline.schemas.spec.LoopSpec}. */
public enum SpecFormat {
    /** Loopline's own {@code loopline.yaml} (YAML or JSON). */
    NATIVE("loopline"),
    /** A loop-engineering {@code registry.yaml} (one spec per pattern), with {@code gate.yaml} beside it. */
    LOOP_ENGINEERING("loop-engineering"),
    /** A Strive {@code loop.json}. */
    STRIVE("strive");

    private final String label;

    SpecFormat(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
