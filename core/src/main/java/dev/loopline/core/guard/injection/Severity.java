package dev.loopline.core.guard.injection;

/** How strongly a text looks like a prompt injection. Callers refuse {@link #HIGH}. */
public enum Severity {
    NONE,
    LOW,
    MEDIUM,
    HIGH;

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    static Severity max(Severity a, Severity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
