package dev.loopline.schemas.events;

import java.util.List;

/** A message that is not a valid Loopline event. Its message says what is wrong and where. */
public class InvalidEventException extends Exception {

    private final List<String> violations;

    public InvalidEventException(String message, List<String> violations) {
        super(message + (violations.isEmpty() ? "" : ": " + String.join("; ", violations)));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
