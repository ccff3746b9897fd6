package dev.loopline.gate.messaging;

/** Channel names of the gate; topics are bound to them in application.properties only. */
public final class GateChannels {

    /** ChangeVerified events from guard-service. */
    public static final String VERDICTS = "verdicts-in";

    /** ChangeDecided events for the agent, state-service and the dashboard. */
    public static final String DECISIONS = "decisions-out";

    /** Messages the gate could not read or handle. */
    public static final String DEAD_LETTERS = "dead-letters-out";

    private GateChannels() {}
}
