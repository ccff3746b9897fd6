package dev.loopline.scheduler.rest;

import dev.loopline.scheduler.service.Admission;
import jakarta.inject.Singleton;

/**
 * Replaces the allow-all admission bean in every {@code @QuarkusTest} (the default bean gives way to it, no
 * test profile needed): the loop {@code gated} is over budget, the check for {@code unchecked} cannot be made,
 * every other loop may run.
 */
@Singleton
public class TestAdmission implements Admission {

    static final String OVER_BUDGET = "team platform is over its daily token budget";

    @Override
    public Decision check(String loopId, String team) {
        return switch (loopId) {
            case "gated" -> Decision.refuse(OVER_BUDGET);
            case "unchecked" -> Decision.unavailable("state-service unreachable");
            default -> Decision.allow();
        };
    }
}
