package dev.loopline.agent.config;

import dev.loopline.agent.client.BudgetLedger;
import dev.loopline.agent.client.LoopMemoryClient;
import dev.loopline.agent.client.RunLogClient;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;

public class BudgetLedgerProducer {

    @Produces
    @Singleton
    BudgetLedger budgetLedger(AgentConfig config) {
        if (!config.budget().enabled()) {
            return BudgetLedger.disabled();
        }
        AgentConfig.State state = config.state();
        URI url = state.url()
                .orElseThrow(() -> new IllegalArgumentException("loopline.agent.state.url is not set: the agent"
                        + " reserves tokens on state-service's budget ledger before every maker run and runs no maker"
                        + " without a hold; set LOOPLINE_AGENT_STATE_URL, e.g. http://state-service:8085 (or switch the"
                        + " budget off with loopline.agent.budget.enabled=false)"));
        String token = state.token()
                .filter(t -> !t.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("loopline.agent.state.token is not set: the budget"
                        + " ledger wants a state-service token with the operate permission (operator or admin); set"
                        + " LOOPLINE_AGENT_STATE_TOKEN"));
        return BudgetLedger.of(http(state), url, token, state.requestTimeout());
    }

    /**
     * The client of a loop's memory (triage cursor, notebook) on the same state-service. Without a URL or token every
     * call fails saying so; the triage stage then ends its tick with an error instead of guessing a cursor.
     */
    @Produces
    @Singleton
    LoopMemoryClient loopMemory(AgentConfig config) {
        AgentConfig.State state = config.state();
        return LoopMemoryClient.of(
                http(state), state.url().orElse(null), state.token().orElse(null), state.requestTimeout());
    }

    /** The run log on the same state-service, asked whether a delivered attempt already ran (never required). */
    @Produces
    @Singleton
    RunLogClient runLog(AgentConfig config) {
        AgentConfig.State state = config.state();
        return RunLogClient.of(
                http(state), state.url().orElse(null), state.token().orElse(null), state.requestTimeout());
    }

    /** An HTTP client for state-service: its connect timeout, and no redirect followed (with the token). */
    private static HttpClient http(AgentConfig.State state) {
        return HttpClient.newBuilder()
                .connectTimeout(state.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Creates the ledger at start-up, so that a missing URL or token stops the service instead of every tick. */
    void validate(@Observes StartupEvent started, BudgetLedger ledger) {
        ledger.enabled();
    }
}
