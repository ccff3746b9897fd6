package dev.loopline.state.common;

/**
 * Channel names of this service ({@code <topic>-in} for what it consumes, {@code <topic>-out} for what it produces, as
 * in every service); the topics behind them are configured in application.properties only.
 */
public final class StateChannels {

    /** Every tick event: triggers, proposals, verdicts, decisions and completions. */
    public static final String TICK_EVENTS = "tick-events-in";

    /** Messages this service could not use. */
    public static final String DEAD_LETTERS = "dead-letters-out";

    /** Kill-switch states, keyed {@code kind:id}, on a compacted topic. */
    public static final String CONTROL = "control-out";

    /** The completions of ticks the deadline sweep ends (the agent completes every other tick). */
    public static final String COMPLETIONS = "completions-out";

    private StateChannels() {}
}
