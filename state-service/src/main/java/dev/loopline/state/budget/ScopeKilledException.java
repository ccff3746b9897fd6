package dev.loopline.state.budget;

import dev.loopline.schemas.control.KillSwitch;

/** A reservation names a scope (or runs under the global scope) whose kill switch is on. */
public class ScopeKilledException extends RuntimeException {

    private final transient KillSwitch control;

    public ScopeKilledException(KillSwitch control) {
        super("Scope " + control.key() + " is killed: " + control.reason() + " (by " + control.by() + ")");
        this.control = control;
    }

    public KillSwitch control() {
        return control;
    }
}
