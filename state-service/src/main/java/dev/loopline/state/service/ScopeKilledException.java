package dev.loopline.state.service;

/** A reservation names a scope (or runs under the global scope) whose kill switch is on. */
public class ScopeKilledException extends RuntimeException {

    private final transient ControlState control;

    public ScopeKilledException(ControlState control) {
        super("Scope " + control.key() + " is killed: " + control.reason() + " (by " + control.by() + ")");
        this.control = control;
    }

    public ControlState control() {
        return control;
    }
}
