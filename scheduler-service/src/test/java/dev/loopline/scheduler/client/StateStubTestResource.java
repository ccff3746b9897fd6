package dev.loopline.scheduler.client;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts one {@link StateStub} for the application under test and points {@code loopline.scheduler.state.url} at
 * it; tests reach it through {@link #stub()} to set kill switches or budget alerts.
 */
public class StateStubTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile StateStub stub;

    public static StateStub stub() {
        return stub;
    }

    @Override
    public Map<String, String> start() {
        stub = new StateStub("test-token");
        return Map.of(
                "loopline.scheduler.state.url", stub.url().toString(),
                "loopline.scheduler.state.poll-interval", "200ms",
                "loopline.scheduler.state.max-age", "5s");
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.close();
        }
    }
}
