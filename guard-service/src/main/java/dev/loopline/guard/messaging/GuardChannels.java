package dev.loopline.guard.messaging;

/** Channel names; the topics behind them are configured in application.properties only. */
public final class GuardChannels {

    public static final String PROPOSALS = "proposals-in";
    public static final String VERDICTS = "verdicts-out";
    public static final String DEAD_LETTERS = "dead-letters-out";

    private GuardChannels() {}
}
