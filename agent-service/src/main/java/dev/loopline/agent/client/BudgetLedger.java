package dev.loopline.agent.client;

import dev.loopline.schemas.http.BudgetApi;
import dev.loopline.schemas.http.BudgetApi.Exhausted;
import dev.loopline.schemas.http.BudgetApi.ScopeRef;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The agent's client of state-service's budget ledger ({@code /api/v1/budget/reservations}): a hold of tokens on the
 * global, team and loop scopes before a maker runs, then a settlement with what it used or a release.
 *
 * <p>Reserving fails closed: a refused hold (a cap reached) or no answer (state-service down, a 5xx, a token it
 * refuses) both mean the maker does not run. Settling and releasing never fail the tick: a hold the agent could not
 * settle or release expires by itself at its TTL and stops counting then.
 *
 * <p>The token is sent as {@code Authorization: Bearer} and appears in no log line, reason or exception.
 */
public class BudgetLedger {

    private static final Logger LOG = Logger.getLogger(BudgetLedger.class);
    static final String RESERVATIONS_PATH = BudgetApi.RESERVATIONS_PATH;
    static final String BUDGET_EXHAUSTED = ProblemType.BUDGET_EXHAUSTED.uri();
    static final String SCOPE_KILLED = ProblemType.SCOPE_KILLED.uri();

    /** What reserving answered. */
    public sealed interface Reservation permits Granted, Refused, Unavailable {}

    /**
     * Tokens held under {@code id} until settled, released or expired; {@code id} null when the budget is off. {@code
     * replayed}: the ledger already had this hold under the request's idempotency key (a redelivered tick or verdict),
     * so nothing new was held; settling it again changes nothing.
     */
    public record Granted(String id, long tokens, boolean replayed) implements Reservation {
        public Granted(String id, long tokens) {
            this(id, tokens, false);
        }

        public boolean held() {
            return id != null;
        }
    }

    /**
     * What a hold is for: {@code idempotencyKey} names it on the ledger (see {@link #key}), so asking again after a
     * redelivery answers the same hold; {@code loopDailyTokens} is the loop's declared daily cap (its spec's {@code
     * budget.dailyTokens}, null for none), which the ledger applies to the loop scope beside any cap an admin set.
     */
    public record HoldFor(String idempotencyKey, Long loopDailyTokens) {}

    /** The idempotency key of one hold: a tick's attempt's model call (0 for a maker holding once per run). */
    public static String key(String tickId, int attempt, int call) {
        return "tick:" + tickId + ":attempt:" + attempt + ":call:" + call;
    }

    /**
     * A cap refused the hold ({@code reason} names the scope, its numbers and when it resets), or a kill switch of one
     * of the scopes did (the reason names the switch).
     */
    public record Refused(String reason) implements Reservation {}

    /** No answer could be had; {@code reason} says why (without the token). */
    public record Unavailable(String reason) implements Reservation {}

    private static final Granted NOT_HELD = new Granted(null, 0);

    private final HttpClient http;
    private final URI reservations;
    private final String token;
    private final Duration requestTimeout;
    private final boolean enabled;

    private BudgetLedger(HttpClient http, URI stateUrl, String token, Duration requestTimeout, boolean enabled) {
        this.http = http;
        this.reservations = stateUrl == null ? null : stateUrl.resolve(RESERVATIONS_PATH);
        this.token = token;
        this.requestTimeout = requestTimeout;
        this.enabled = enabled;
    }

    /**
     * @param stateUrl state-service's base URL, e.g. {@code http://state-service:8085}
     * @param token a state-service token with the operate permission
     */
    public static BudgetLedger of(HttpClient http, URI stateUrl, String token, Duration requestTimeout) {
        Objects.requireNonNull(stateUrl, "stateUrl");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a state-service token is required");
        }
        return new BudgetLedger(Objects.requireNonNull(http), stateUrl, token, requestTimeout, true);
    }

    /** A ledger that grants everything and records nothing: the budget is switched off. */
    public static BudgetLedger disabled() {
        return new BudgetLedger(null, null, null, null, false);
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Holds {@code tokens} on global, {@code team} and {@code loopId} for {@code ttl} — on all three or none. {@code
     * model} is the maker's (null for one without a model): a scope with a money cap refuses a hold it cannot price.
     */
    public Reservation reserve(String loopId, String team, long tokens, String model, Duration ttl) {
        return reserve(loopId, team, tokens, model, ttl, new HoldFor(null, null));
    }

    /**
     * {@link #reserve(String, String, long, String, Duration)} under an idempotency key and with the loop's declared
     * daily cap ({@link HoldFor}).
     */
    public Reservation reserve(String loopId, String team, long tokens, String model, Duration ttl, HoldFor holdFor) {
        if (!enabled) {
            return NOT_HELD;
        }
        BudgetApi.ReserveRequest body = new BudgetApi.ReserveRequest(
                List.of(ScopeRef.global(), ScopeRef.team(team), ScopeRef.loop(loopId)),
                tokens,
                null,
                (int) Math.min(Integer.MAX_VALUE, ttl.toSeconds()),
                model,
                holdFor.idempotencyKey(),
                holdFor.loopDailyTokens());
        HttpResponse<String> response;
        try {
            response = send(request(reservations).POST(json(body)));
        } catch (IOException e) {
            return unavailable("cannot reach " + reservations + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted while reserving at " + reservations);
        }
        int status = response.statusCode();
        if (status == 201 || status == 200) {
            // 200: the hold the ledger already had under the key; it may even be settled (its charge then stands)
            BudgetApi.Reservation granted = parse(response.body(), BudgetApi.Reservation.class);
            if (granted != null && granted.id() != null) {
                return new Granted(granted.id().toString(), tokens, Boolean.TRUE.equals(granted.replayed()));
            }
        }
        Exhausted problem = parse(response.body(), Exhausted.class);
        if (status == 409 && problem != null && BUDGET_EXHAUSTED.equals(problem.type())) {
            return new Refused(refusal(problem));
        }
        if (status == 409 && problem != null && SCOPE_KILLED.equals(problem.type())) {
            // the ledger holds nothing for a killed scope; its detail names the switch, why and who
            return new Refused(problem.detail() != null ? problem.detail() : "a scope of the loop is killed");
        }
        return unavailable("HTTP " + status + " from POST " + reservations + problemOf(problem));
    }

    /**
     * Records {@code actualTokens} (of which {@code inputTokens} were input; {@code model} may be null) on the hold.
     * The ledger takes at most what was held (the hold's declared maximum): a maker that reported more is settled at
     * the maximum and the excess is logged; the tick's own events carry the full count. Never throws: a failure is
     * logged and the hold is left to expire at its TTL.
     */
    public void settle(Granted hold, long actualTokens, String model, long inputTokens) {
        if (!hold.held()) {
            return;
        }
        long settled = actualTokens;
        if (actualTokens > hold.tokens()) {
            settled = hold.tokens();
            LOG.warnf(
                    "the maker reported %d tokens, more than the %d its loop's budget allows per run; reservation %s is"
                            + " settled at its maximum of %d and the %d beyond it are only in the tick's events",
                    actualTokens, hold.tokens(), hold.id(), settled, actualTokens - settled);
        }
        BudgetApi.SettleRequest body = new BudgetApi.SettleRequest(settled, model, Math.min(inputTokens, settled));
        URI uri = URI.create(reservations + "/" + hold.id() + "/settle");
        finish("settle", uri, request(uri).POST(json(body)));
    }

    /** Frees the hold. Never throws: a failure is logged and the hold is left to expire at its TTL. */
    public void release(Granted hold) {
        if (!hold.held()) {
            return;
        }
        URI uri = URI.create(reservations + "/" + hold.id());
        finish("release", uri, request(uri).DELETE());
    }

    private void finish(String what, URI uri, HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = send(request);
            if (response.statusCode() != 200) {
                // the hold expires by itself at its TTL: until then it only makes the budget look tighter
                LOG.warnf(
                        "could not %s budget reservation at %s: HTTP %d%s; the hold expires at its TTL",
                        what, uri, response.statusCode(), problemOf(parse(response.body(), Exhausted.class)));
            }
        } catch (IOException e) {
            LOG.warnf("could not %s budget reservation at %s: %s; the hold expires at its TTL", what, uri, describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warnf(
                    "interrupted while trying to %s budget reservation at %s; the hold expires at its TTL", what, uri);
        }
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .timeout(requestTimeout);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Unavailable unavailable(String why) {
        LOG.warnf("budget ledger unavailable: %s", why);
        return new Unavailable(why);
    }

    /** e.g. "budget of loop docs-loop exhausted: cap 10, spent 8, held 0, requested 5; resets at 2026-...Z". */
    static String refusal(Exhausted problem) {
        ScopeRef scope = problem.scope();
        String name = scope == null ? "?" : scope.id() == null ? scope.kind() : scope.kind() + " " + scope.id();
        return "budget of " + name + " exhausted: cap " + problem.cap()
                + ", spent " + problem.spent()
                + ", held " + problem.held()
                + ", requested " + problem.requested()
                + "; resets at " + problem.resetsAt();
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // records of strings and numbers always serialise
        }
    }

    /** The body as {@code type}, or null when it is empty or not such JSON. */
    private static <T> T parse(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.mapper().readValue(body, type);
        } catch (IOException e) {
            return null;
        }
    }

    /** The problem's title and detail, if the answer is one; state-service puts no secret there. */
    private static String problemOf(Exhausted problem) {
        if (problem == null || problem.title() == null) {
            return "";
        }
        String detail = problem.detail() != null ? " (" + problem.detail() + ")" : "";
        return ": " + problem.title() + detail;
    }

    private static String describe(IOException e) {
        return e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
