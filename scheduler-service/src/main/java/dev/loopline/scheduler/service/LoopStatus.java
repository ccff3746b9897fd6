package dev.loopline.scheduler.service;

import dev.loopline.core.spec.SpecProblem;
import dev.loopline.schemas.spec.LoopSpec;
import java.time.Instant;
import java.util.List;

/**
 * What the scheduler knows about one loop. An invalid spec file is listed too ({@code valid = false}) with
 * its problems; its id is the file's {@code id} field when readable, else the file name without extension.
 */
public record LoopStatus(
        String id,
        String team,
        LoopSpec.Kind kind,
        LoopSpec.Level level,
        String cadence,
        String file,
        String specHash,
        boolean valid,
        List<SpecProblem> problems,
        boolean paused,
        Instant nextRunAt,
        Instant lastTriggeredAt,
        String inFlightTickId) {}
