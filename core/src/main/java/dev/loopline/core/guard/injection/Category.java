package dev.loopline.core.guard.injection;

/** What kind of injection a signal points at. */
public enum Category {
    INSTRUCTION_OVERRIDE("instruction-override"),
    ROLE_SPOOF("role-spoof"),
    PERSONA_SWITCH("persona-switch"),
    EXFILTRATION("exfiltration"),
    TOOL_DIRECTIVE("tool-directive"),
    /** Instructions in text a human reader does not see: HTML comments, alt text, hidden elements. */
    HIDDEN_INSTRUCTION("hidden-instruction"),
    /** Instructions addressed by name to an AI reader ("Note to the AI: ..."). */
    ADDRESSED_TO_AI("addressed-to-ai"),
    /** Text smuggled in invisible characters: Unicode tags, runs of variation selectors or zero-width characters. */
    SMUGGLED_TEXT("smuggled-text"),
    /** Bytes that do not decode to text (invalid UTF-8, NULs, control characters): they cannot be scanned. */
    UNSCANNABLE("unscannable");

    private final String id;

    Category(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
