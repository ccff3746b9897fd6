package dev.loopline.schemas.control;

import java.util.List;

/** A message on the control topic that is not a valid control record. Its message says what is wrong and where. */
public class InvalidControlRecordException extends Exception {

    private final List<String> violations;

    public InvalidControlRecordException(String message, List<String> violations) {
        super(message + (violations.isEmpty() ? "" : ": " + String.join("; ", violations)));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
