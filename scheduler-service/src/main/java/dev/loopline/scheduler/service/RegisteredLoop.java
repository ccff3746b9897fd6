package dev.loopline.scheduler.service;

import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.scheduler.service.SchedulerStore.LoopState;
import dev.loopline.schemas.http.LoopStatus;
import dev.loopline.schemas.spec.LoopSpec;

/**
 * A valid loop: the spec as declared, and the spec it runs with, at the level enforcement allows (the one emitted on
 * every tick, so downstream services enforce that level too).
 */
record RegisteredLoop(
        LoadedSpec loaded,
        LoopTiming timing,
        String timingKey,
        LevelEnforcement.Decision level,
        LoopSpec effective,
        String hash) {

    static RegisteredLoop of(LoadedSpec loaded, LoopTiming timing, LevelEnforcement.Decision level) {
        LoopSpec spec = loaded.spec();
        String key = timingKey(spec);
        if (level.effective() == null || level.effective() == spec.level()) {
            return new RegisteredLoop(loaded, timing, key, level, spec, loaded.hash());
        }
        LoopSpec capped = spec.withLevel(level.effective());
        return new RegisteredLoop(loaded, timing, key, level, capped, LoopSpecReader.hash(capped));
    }

    /** What the loop's slots are computed from: a different key means its next slot is placed anew. */
    private static String timingKey(LoopSpec spec) {
        return "cadence=" + spec.cadence() + ";cron=" + spec.cron() + ";tz=" + spec.timezone() + ";pause="
                + spec.pauseWindows();
    }

    LoopSpec spec() {
        return loaded.spec();
    }

    String id() {
        return loaded.spec().id();
    }

    /** Whether the loop runs by itself (cadence or cron): not paused in its spec, runnable, above L0. */
    boolean runsOnSchedule() {
        return timing.scheduled() && !spec().isPaused() && level.runnable() && level.effective() != LoopSpec.Level.L0;
    }

    /**
     * Whether the loop may push to its repository: an assisted-fix loop running at L2 (proposes a change) or L3
     * (merges unattended). Only one such loop per repository has a tick in flight at a time.
     */
    boolean writes() {
        return effective.kind() == LoopSpec.Kind.ASSISTED_FIX
                && (effective.level() == LoopSpec.Level.L2 || effective.level() == LoopSpec.Level.L3);
    }

    String repo() {
        return spec().target().repo().strip();
    }

    /** The pause in force: an operator's (from the store) before the spec file's {@code paused: true}. */
    LoopStatus.Pause pause(LoopState s) {
        if (s != null && s.pause() != null) {
            return s.pause();
        }
        if (spec().isPaused()) {
            return new LoopStatus.Pause("spec", "paused: true in " + loaded.file(), null);
        }
        return null;
    }
}
