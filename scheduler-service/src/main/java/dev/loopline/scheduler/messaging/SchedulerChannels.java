package dev.loopline.scheduler.messaging;

/** Channel names of the scheduler; topics are bound to them in application.properties only. */
public final class SchedulerChannels {

    /** TickTriggered events for agent-service. */
    public static final String TICKS = "ticks-out";

    /** TickCompleted events: a loop's tick is no longer in flight. */
    public static final String COMPLETIONS = "completions-in";

    /** Messages the scheduler could not read or handle. */
    public static final String DEAD_LETTERS = "dead-letters-out";

    private SchedulerChannels() {}
}
