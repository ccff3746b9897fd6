package dev.loopline.makers.llm;

/** The run must end now: its tick was halted, or its time is up. Thrown from any step, caught by the loop. */
final class RunStopped extends RuntimeException {

    enum Why {
        HALTED,
        OUT_OF_TIME
    }

    private final Why why;

    RunStopped(Why why) {
        super(why.name(), null, false, false);
        this.why = why;
    }

    Why why() {
        return why;
    }
}
