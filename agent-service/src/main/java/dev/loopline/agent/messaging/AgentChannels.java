package dev.loopline.agent.messaging;

/** Channel names; the topics behind them are configured in application.properties only. */
public final class AgentChannels {

    public static final String TICKS = "ticks-in";
    public static final String VERDICTS = "verdicts-in";
    public static final String DECISIONS = "decisions-in";
    public static final String PROPOSALS = "proposals-out";
    public static final String COMPLETIONS = "completions-out";
    public static final String DEAD_LETTERS = "dead-letters-out";

    private AgentChannels() {}
}
