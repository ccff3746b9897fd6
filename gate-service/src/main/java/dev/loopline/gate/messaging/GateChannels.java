package dev.loopline.gate.messaging;

/** Channel names of the gate; topics are bound to them in application.properties only. */
public final class GateChannels {

    /** ChangeVerified events from guard-service. */
    public static final String VERDICTS = "verdicts-in";

    /** ChangeDecided events for the agent, state-service and the dashboard. */
    public static final String DECISIONS = "decisions-out";

    /** Messages the gate could not read or handle. */
    public static final String DEAD_LETTERS = "dead-letters-out";

    /** ApprovalRecorded events (requests opened, votes, resolutions) for state-service and the dashboard. */
    public static final String APPROVALS = "approvals-out";

    /** Approved changes the gate sends back through the guard on a moved base (ChangeProposed with approvalId). */
    public static final String PROPOSALS = "proposals-out";

    /** TickTriggered events: who or what triggered each tick, for the self-approval rule. */
    public static final String TICKS = "ticks-in";

    private GateChannels() {}
}
