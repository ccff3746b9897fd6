package dev.loopline.core.guard.integrity;

/** How strongly a finding suggests the change games its own verification. */
public enum Severity {
    LOW,
    MEDIUM,
    HIGH;

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
