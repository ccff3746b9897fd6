package dev.loopline.agent.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Asks state-service's run log ({@code GET /api/v1/ticks/{id}}) whether a tick attempt already ran to an end: its
 * proposal, or the tick's completion, is recorded. A record is delivered again when its acknowledgement was lost (a
 * worker stopped while its group rebalanced, so the offset commit failed); the attempt it asks for must not run a
 * second maker. When the run log cannot tell (not configured, unreachable, the tick not ingested yet) the answer is
 * empty and the attempt runs, as it would without this check: downstream services ignore an event id they have seen.
 */
public class RunLogClient {

    private static final Logger LOG = Logger.getLogger(RunLogClient.class);

    private final StateCalls calls;

    RunLogClient(StateCalls calls) {
        this.calls = calls;
    }

    public static RunLogClient of(HttpClient http, URI stateUrl, String token, Duration requestTimeout) {
        return new RunLogClient(new StateCalls(Objects.requireNonNull(http), stateUrl, token, requestTimeout));
    }

    /** What the run log holds of attempt {@code attempt} of {@code tickId}'s end, or empty when nothing (or unknown). */
    public Optional<String> attemptEnded(String tickId, int attempt) {
        if (!calls.configured()) {
            return Optional.empty();
        }
        String path = "/api/v1/ticks/" + URLEncoder.encode(tickId, StandardCharsets.UTF_8);
        StateCalls.Answer answer;
        try {
            answer = calls.send("GET", path, null);
        } catch (StateCalls.Failed e) {
            LOG.debugf("run log not asked whether tick %s attempt %d ran: %s", tickId, attempt, e.getMessage());
            return Optional.empty();
        }
        if (answer.status() != 200) {
            if (answer.status() != 404) {
                LOG.debugf("run log answered %d for tick %s", answer.status(), tickId);
            }
            return Optional.empty();
        }
        try {
            return ended(Json.mapper().readTree(answer.body()), attempt);
        } catch (JsonProcessingException e) {
            LOG.debugf("unreadable run log answer for tick %s: %s", tickId, e.getOriginalMessage());
            return Optional.empty();
        }
    }

    static Optional<String> ended(JsonNode tick, int attempt) {
        if (tick.hasNonNull("outcome")) {
            return Optional.of("the tick ended " + tick.path("outcome").asText());
        }
        for (JsonNode step : tick.path("timeline")) {
            if (step.path("type").asText().equals(EventType.CHANGE_PROPOSED.wireName())
                    && step.path("attempt").asInt() == attempt) {
                return Optional.of("attempt " + attempt + " was proposed at "
                        + step.path("time").asText());
            }
        }
        return Optional.empty();
    }
}
