package dev.loopline.core.guard.injection;

import java.util.List;

/** The overall severity of a text and the signals behind it. */
public record ScanResult(Severity severity, List<Signal> signals) {
    public ScanResult {
        signals = List.copyOf(signals);
    }

    public static ScanResult clean() {
        return new ScanResult(Severity.NONE, List.of());
    }

    public boolean has(Category category) {
        for (Signal s : signals) {
            if (s.category() == category) {
                return true;
            }
        }
        return false;
    }
}
