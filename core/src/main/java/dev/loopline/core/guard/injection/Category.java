package dev.loopline.core.guard.injection;

/** What kind of injection a signal points at. */
public enum Category {
    INSTRUCTION_OVERRIDE("instruction-override"),
    ROLE_SPOOF("role-spoof"),
    PERSONA_SWITCH("persona-switch"),
    EXFILTRATION("exfiltration"),
    TOOL_DIRECTIVE("tool-directive");

    private final String id;

    Category(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
