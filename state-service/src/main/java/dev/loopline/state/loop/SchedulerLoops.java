package dev.loopline.state.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.http.LoopStatus;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.state.common.StateConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The scheduler's view of each loop, read from its API ({@code GET /api/v1/schedule}): when it runs next, whether
 * it is paused (by whom, why) and whether the scheduler halted it for an anomaly. The scheduler owns the schedule; this
 * service only shows it next to the run log, so an unreachable scheduler makes the loop list answer without it (and
 * say so) rather than fail.
 */
@ApplicationScoped
public class SchedulerLoops {

    private static final Logger LOG = Logger.getLogger(SchedulerLoops.class);
    static final String LOOPS_PATH = "/api/v1/schedule";

    @Inject
    StateConfig config;

    private HttpClient http;

    /** One loop as the scheduler sees it; absent facts are null. */
    public record Entry(
            String loopId,
            String team,
            String level,
            boolean paused,
            String pauseReason,
            String haltReason,
            Instant nextRunAt) {}

    /**
     * What the scheduler answered: {@code loops} by id when {@code available}; otherwise {@code status} says why not
     * ({@code not-configured} or {@code unavailable: …}).
     */
    public record Schedule(String status, Map<String, Entry> loops) {
        public static final String AVAILABLE = "scheduler";
        public static final String NOT_CONFIGURED = "not-configured";

        public boolean available() {
            return AVAILABLE.equals(status);
        }

        static Schedule unavailable(String why) {
            return new Schedule("unavailable: " + why, Map.of());
        }
    }

    @PostConstruct
    void init() {
        http = HttpClient.newBuilder()
                .connectTimeout(config.scheduler().timeout())
                .build();
    }

    /** The scheduler's loops now; never throws. */
    public Schedule fetch() {
        Optional<URI> base = config.scheduler().url();
        if (base.isEmpty()) {
            return new Schedule(Schedule.NOT_CONFIGURED, Map.of());
        }
        return fetch(
                http, base.get(), config.scheduler().token(), config.scheduler().timeout());
    }

    static Schedule fetch(HttpClient http, URI base, Optional<String> token, Duration timeout) {
        URI uri = URI.create(base.toString().replaceAll("/+$", "") + LOOPS_PATH);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            HttpResponse<String> response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return unavailable(uri, "HTTP " + response.statusCode());
            }
            return new Schedule(Schedule.AVAILABLE, parse(response.body()));
        } catch (IOException e) {
            return unavailable(
                    uri, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable(uri, "interrupted");
        } catch (IllegalArgumentException e) {
            return unavailable(uri, "not a loop list (" + e.getMessage() + ")");
        }
    }

    private static Schedule unavailable(URI uri, String why) {
        // the URL (without any user:password in it) and the status only: never the token
        String shown =
                uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "");
        LOG.debugf("scheduler loop list at %s unavailable: %s", shown, why);
        return Schedule.unavailable(why + " from GET " + shown);
    }

    /**
     * The scheduler's {@link LoopStatus} list. An entry without an id, or one that does not read as a {@link
     * LoopStatus} (a field of the wrong type), is skipped and the others are shown; a body that is not a JSON array is
     * not a loop list at all.
     */
    static Map<String, Entry> parse(String body) {
        JsonNode loops;
        try {
            loops = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (loops == null || !loops.isArray()) {
            throw new IllegalArgumentException("not a JSON array");
        }
        Map<String, Entry> byId = new LinkedHashMap<>();
        for (JsonNode node : loops) {
            LoopStatus loop;
            try {
                loop = Json.mapper().treeToValue(node, LoopStatus.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                LOG.debugf("a scheduler loop entry that is not a LoopStatus skipped: %s", e.getMessage());
                continue;
            }
            if (loop.id() == null || loop.id().isBlank()) {
                continue;
            }
            LoopSpec.Level level = loop.effectiveLevel() != null ? loop.effectiveLevel() : loop.level();
            byId.put(
                    loop.id(),
                    new Entry(
                            loop.id(),
                            loop.team(),
                            level == null ? null : level.name(),
                            loop.paused(),
                            loop.pause() == null ? null : describe(loop.pause()),
                            loop.halted() == null
                                    ? null
                                    : "scheduler halt (" + loop.halted().kind() + "): "
                                            + loop.halted().detail(),
                            loop.nextRunAt()));
        }
        return byId;
    }

    private static String describe(LoopStatus.Pause pause) {
        String by = blankToNull(pause.by());
        String reason = blankToNull(pause.reason());
        return "paused" + (by == null ? "" : " by " + by) + (reason == null ? "" : ": " + reason);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
