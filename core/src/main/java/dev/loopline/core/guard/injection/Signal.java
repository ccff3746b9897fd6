package dev.loopline.core.guard.injection;

import java.util.Objects;

/**
 * One finding.
 *
 * @param category what kind of injection
 * @param severity how strong this finding is on its own
 * @param evidence the original text that triggered it, at most {@link #MAX_EVIDENCE} characters
 * @param encoding {@link Encoding#PLAIN} or how the text had been encoded
 * @param offset index of the evidence in the original text
 * @param quoted the text quotes this payload to explain it (code, quotation marks, next to words such as
 *     "prompt injection"); its severity was lowered to at most medium and it does not combine with other signals
 */
public record Signal(
        Category category, Severity severity, String evidence, Encoding encoding, int offset, boolean quoted) {
    public static final int MAX_EVIDENCE = 80;

    public Signal {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(encoding, "encoding");
        if (evidence.length() > MAX_EVIDENCE) {
            evidence = evidence.substring(0, MAX_EVIDENCE);
        }
    }

    public Signal(Category category, Severity severity, String evidence, Encoding encoding, int offset) {
        this(category, severity, evidence, encoding, offset, false);
    }

    public boolean encoded() {
        return encoding != Encoding.PLAIN;
    }
}
