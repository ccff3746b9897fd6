package dev.loopline.scheduler.client;

import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.ControlSnapshot;
import dev.loopline.schemas.control.KillSwitch;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts one {@link StateStub} for the application under test and points {@code loopline.scheduler.state.url} at
 * it; tests reach it through {@link #stub()} to set kill switches or budget alerts.
 */
public class StateStubTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile StateStub stub;

    /** The loop every scheduler test may rely on being over budget. */
    public static final String OVER_BUDGET_LOOP = "gated";

    public static StateStub stub() {
        return stub;
    }

    /**
     * What the stub serves unless a test changes it: loop {@value #OVER_BUDGET_LOOP} has reached its daily cap
     * (a budget halt until tomorrow), nothing else is in force.
     */
    public static ControlSnapshot baseline() {
        return baselineWith(List.of(), List.of());
    }

    /** The {@link #baseline()} plus these kill switches and budget alerts. */
    public static ControlSnapshot baselineWith(List<KillSwitch> kills, List<BudgetAlert> alerts) {
        Instant now = Instant.now();
        List<BudgetAlert> all = new ArrayList<>(alerts);
        all.add(new BudgetAlert(
                null,
                ControlScope.LOOP,
                OVER_BUDGET_LOOP,
                LocalDate.now(ZoneOffset.UTC),
                BudgetAlert.Action.HALT,
                100,
                100_000,
                100_000,
                now.plus(Duration.ofDays(1)),
                now));
        return new ControlSnapshot(now, kills, all);
    }

    @Override
    public Map<String, String> start() {
        stub = new StateStub("test-token");
        stub.serve(baseline());
        return Map.of(
                "loopline.scheduler.state.url",
                stub.url().toString(),
                "loopline.auth.state-url",
                stub.url().toString(),
                "loopline.scheduler.state.poll-interval",
                "200ms",
                "loopline.scheduler.state.max-age",
                "5s");
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.close();
        }
    }
}
