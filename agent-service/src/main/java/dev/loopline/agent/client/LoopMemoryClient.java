package dev.loopline.agent.client;

import dev.loopline.makers.llm.NotebookStore;
import dev.loopline.schemas.http.LoopMemory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The agent's client of a loop's memory in state-service: the triage cursor ({@code GET /api/v1/loops/{id}/triage})
 * and the notebook ({@code GET|POST /api/v1/loops/{id}/notes}). Every call answers a value or throws {@link
 * MemoryUnavailableException} with what went wrong (never the token); callers fail closed.
 */
public class LoopMemoryClient implements NotebookStore {

    private final StateCalls calls;

    LoopMemoryClient(HttpClient http, URI stateUrl, String token, Duration requestTimeout) {
        this.calls = new StateCalls(http, stateUrl, token, requestTimeout);
    }

    /**
     * @param stateUrl state-service's base URL; null when none is configured (every call then fails, saying so)
     * @param token a state-service token; appending notes needs the operate permission
     */
    public static LoopMemoryClient of(HttpClient http, URI stateUrl, String token, Duration requestTimeout) {
        return new LoopMemoryClient(Objects.requireNonNull(http), stateUrl, token, requestTimeout);
    }

    /** Thrown when state-service cannot be asked or answers something other than success. */
    public static final class MemoryUnavailableException extends NotebookStore.Unavailable {
        private static final long serialVersionUID = 1L;

        public MemoryUnavailableException(String message) {
            super(message);
        }
    }

    /** The loop's triage cursors and last grounded report (no cursors before its first triage). */
    public LoopMemory.TriageState triage(String loopId) throws MemoryUnavailableException {
        return call("GET", path(loopId, "triage"), null, LoopMemory.TriageState.class);
    }

    /** The loop's notebook, oldest note first. */
    @Override
    public LoopMemory.Notebook notes(String loopId) throws MemoryUnavailableException {
        return call("GET", path(loopId, "notes"), null, LoopMemory.Notebook.class);
    }

    /** Appends a note once per {@code key}; answers the notebook as stored. */
    @Override
    public LoopMemory.Notebook append(String loopId, LoopMemory.NoteRequest note) throws MemoryUnavailableException {
        return call("POST", path(loopId, "notes"), note, LoopMemory.Notebook.class);
    }

    private static String path(String loopId, String what) {
        return "/api/v1/loops/" + URLEncoder.encode(loopId, StandardCharsets.UTF_8) + "/" + what;
    }

    private <T> T call(String method, String path, Object body, Class<T> type) throws MemoryUnavailableException {
        if (!calls.configured()) {
            throw new MemoryUnavailableException("state-service is not configured: set loopline.agent.state.url and"
                    + " loopline.agent.state.token (LOOPLINE_AGENT_STATE_URL, LOOPLINE_AGENT_STATE_TOKEN)");
        }
        try {
            return calls.read(method, path, body, type);
        } catch (StateCalls.Failed e) {
            throw new MemoryUnavailableException(e.getMessage());
        }
    }
}
