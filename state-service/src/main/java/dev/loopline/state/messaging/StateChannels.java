package dev.loopline.state.messaging;

/** Channel names of this service; the topics behind them are configured in application.properties only. */
public final class StateChannels {

    /** Every tick event: triggers, proposals, verdicts, decisions and completions. */
    public static final String TICK_EVENTS = "tick-events";

    /** Messages this service could not use. */
    public static final String DEAD_LETTERS = "dead-letters";

    /** Kill-switch states, keyed {@code kind:id}, on a compacted topic. */
    public static final String CONTROL = "control";

    /** The completions of ticks the deadline sweep ends (the agent completes every other tick). */
    public static final String COMPLETIONS = "completions-out";

    private StateChannels() {}
}
