package dev.loopline.scheduler.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loopline.core.control.ControlBoard;
import dev.loopline.scheduler.service.Admission;
import dev.loopline.schemas.control.ControlSnapshot;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Asks state-service whether a loop may run: polls {@code GET /api/v1/control/snapshot} (the kill switches and the
 * budget alerts in force) and answers from the last snapshot folded into a {@link ControlBoard}.
 *
 * <ul>
 *   <li>a kill switch or a budget halt of the loop, its team or global → refused, with who and why;
 *   <li>a budget report-only → allowed at most at L1 (no writes);
 *   <li>no snapshot yet, or the last one older than {@code maxAge} (state-service down, token refused, an
 *       unreadable answer) → unavailable: nothing starts until state-service answers again (fail closed).
 * </ul>
 *
 * <p>Polling keeps the check off the trigger path: a due-check over thousands of loops asks the board in memory,
 * never the network.
 */
public final class StateAdmission implements Admission {

    private static final Logger LOG = Logger.getLogger(StateAdmission.class);
    static final String SNAPSHOT_PATH = "/api/v1/control/snapshot";

    private record Fetched(ControlBoard board, Instant at) {}

    private final HttpClient http;
    private final URI snapshotUri;
    private final String token;
    private final Duration maxAge;
    private final Duration requestTimeout;
    private final Clock clock;
    private volatile Fetched last;
    private volatile String lastFailure = "no snapshot fetched yet";

    /**
     * @param stateUrl state-service's base URL, e.g. {@code http://state-service:8085}
     * @param token a bearer token state-service accepts (any role; viewer is enough)
     * @param maxAge how old the last snapshot may be before every check answers unavailable
     */
    public StateAdmission(HttpClient http, URI stateUrl, String token, Duration maxAge, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.snapshotUri = stateUrl.resolve(SNAPSHOT_PATH);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a token for state-service is required (loopline.scheduler.state.token"
                    + " or loopline.auth.token)");
        }
        this.token = token;
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.requestTimeout =
                maxAge.dividedBy(2).compareTo(Duration.ofSeconds(5)) < 0 ? maxAge.dividedBy(2) : Duration.ofSeconds(5);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Fetches a snapshot; on success the board is replaced, on failure the previous one is kept until it is older
     * than the max age. Never throws.
     *
     * @return whether the fetch succeeded
     */
    public boolean refresh() {
        HttpRequest request = HttpRequest.newBuilder(snapshotUri)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .timeout(requestTimeout)
                .GET()
                .build();
        String failure;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                ControlSnapshot snapshot = Json.mapper().readValue(response.body(), ControlSnapshot.class);
                last = new Fetched(ControlBoard.of(snapshot), clock.instant());
                if (lastFailure != null) {
                    LOG.infof("state-service control snapshot fetched from %s", snapshotUri);
                }
                lastFailure = null;
                return true;
            }
            failure = "state-service answered " + response.statusCode() + " to GET " + SNAPSHOT_PATH
                    + (response.statusCode() == 401 || response.statusCode() == 403
                            ? " (check loopline.scheduler.state.token)"
                            : "");
        } catch (JsonProcessingException e) {
            failure = "unreadable control snapshot from state-service: " + e.getOriginalMessage();
        } catch (IOException e) {
            failure = "cannot reach state-service at " + snapshotUri + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted while asking state-service";
        } catch (RuntimeException e) {
            failure = "control snapshot rejected: " + e.getMessage();
        }
        if (!failure.equals(lastFailure)) {
            LOG.warnf("%s; ticks start only while the last snapshot is younger than %s", failure, maxAge);
        }
        lastFailure = failure;
        return false;
    }

    /**
     * What the admission check works from, for operators.
     *
     * @param answering whether the last snapshot is young enough for ticks to start
     * @param lastAnswerAt when state-service last answered; null before it ever did
     * @param lastFailure why the last fetch failed; null when it succeeded
     */
    public record Status(boolean answering, Instant lastAnswerAt, String lastFailure) {}

    public Status status() {
        Fetched fetched = last;
        return new Status(fresh(fetched, clock.instant()), fetched == null ? null : fetched.at(), lastFailure);
    }

    private boolean fresh(Fetched fetched, Instant now) {
        return fetched != null && Duration.between(fetched.at(), now).compareTo(maxAge) <= 0;
    }

    @Override
    public Decision check(String loopId, String team) {
        Fetched fetched = last;
        Instant now = clock.instant();
        if (fetched == null) {
            return Decision.unavailable("state-service has not answered yet (" + lastFailure
                    + "); no tick starts until it confirms no kill switch or budget halt applies");
        }
        if (!fresh(fetched, now)) {
            return Decision.unavailable("no answer from state-service since " + fetched.at() + " (" + lastFailure
                    + "); no tick starts until it answers again");
        }
        // core's Admission is what the control records say; this class answers the scheduler's Admission
        dev.loopline.core.control.Admission control = fetched.board().admission(loopId, team, now);
        if (control instanceof dev.loopline.core.control.Admission.Halt halt) {
            return Decision.refuse(halt.reason());
        }
        if (control instanceof dev.loopline.core.control.Admission.ReportOnly limited) {
            return Decision.allowAtMost(LoopSpec.Level.L1, limited.reason());
        }
        return Decision.allow();
    }
}
