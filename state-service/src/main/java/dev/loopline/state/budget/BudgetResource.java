package dev.loopline.state.budget;

import dev.loopline.core.auth.Permission;
import dev.loopline.schemas.http.BudgetApi.Reservation;
import dev.loopline.schemas.http.BudgetApi.ReserveRequest;
import dev.loopline.schemas.http.BudgetApi.ScopeRef;
import dev.loopline.schemas.http.BudgetApi.SettleRequest;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.state.budget.BudgetRequests.CapRequest;
import dev.loopline.state.budget.BudgetViews.DayUseView;
import dev.loopline.state.budget.BudgetViews.ReservationStateView;
import dev.loopline.state.budget.BudgetViews.ScopeBudgetView;
import dev.loopline.state.common.ApiException;
import dev.loopline.support.rest.Allowed;
import dev.loopline.support.rest.Problem;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/budget")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BudgetResource {

    @Inject
    BudgetLedgerService ledger;

    @Inject
    BudgetOverviewService overview;

    @Inject
    BudgetCaps caps;

    @Inject
    BudgetConfig config;

    @GET
    @Allowed(Permission.READ)
    @Operation(summary = "Per scope, today: cap, spent, held, remaining")
    public List<ScopeBudgetView> overview() {
        return overview.overview().stream().map(ScopeBudgetView::of).toList();
    }

    @GET
    @Path("/history")
    @Allowed(Permission.READ)
    @Operation(
            summary = "Per scope and day, the last `days` days (1 to 31, default 7, today included): tokens and USD"
                    + " settled; days without use are left out")
    public List<DayUseView> history(@QueryParam("days") Integer days) {
        int span = days == null ? 7 : days;
        if (span < 1 || span > 31) {
            throw ApiException.invalidParameter("days", "must be between 1 and 31");
        }
        return overview.history(span).stream().map(DayUseView::of).toList();
    }

    @POST
    @Path("/reservations")
    @Allowed(Permission.OPERATE)
    @Operation(
            summary =
                    "Hold maxTokens (tokens when absent; with a priced model also their maximum USD) on every named"
                            + " scope, or on none (409 names the exhausted scope and unit; 422 when a money-capped scope gets"
                            + " no priced model). A repeated idempotencyKey answers 200 with the hold already recorded under it")
    public RestResponse<Reservation> reserve(
            @Valid @NotNull ReserveRequest request, @jakarta.ws.rs.core.Context UriInfo uri) {
        Duration ttl = request.ttlSeconds() == null ? config.defaultTtl() : Duration.ofSeconds(request.ttlSeconds());
        if (ttl.compareTo(config.maxTtl()) > 0) {
            throw ApiException.invalidParameter(
                    "ttlSeconds", "must be at most " + config.maxTtl().toSeconds());
        }
        if (request.maxTokens() != null && request.maxTokens() < request.tokens()) {
            throw ApiException.invalidParameter("maxTokens", "must not be less than tokens (" + request.tokens() + ")");
        }
        List<BudgetScope> scopes =
                request.scopes().stream().map(BudgetResource::scope).toList();
        if (request.loopDailyTokens() != null && scopes.stream().noneMatch(s -> s.kind() == BudgetScope.Kind.LOOP)) {
            throw ApiException.invalidParameter(
                    "loopDailyTokens", "is the loop's declared daily cap: it needs a loop scope in scopes");
        }
        BudgetLedgerService.Reservation reservation = ledger.reserve(
                scopes,
                request.tokens(),
                request.maxTokens(),
                request.model(),
                ttl,
                new BudgetLedgerService.Terms(request.idempotencyKey(), request.loopDailyTokens()));
        URI location = URI.create(uri.getAbsolutePath() + "/" + reservation.id());
        if (reservation.replayed()) {
            // the hold already recorded under the key: nothing new was created
            return RestResponse.ResponseBuilder.<Reservation>ok(BudgetViews.reservation(reservation))
                    .location(location)
                    .build();
        }
        // a typed answer: its JSON writer is chosen once at build time, not looked up per request
        return RestResponse.ResponseBuilder.<Reservation>created(location)
                .entity(BudgetViews.reservation(reservation))
                .build();
    }

    @POST
    @Path("/reservations/{id}/settle")
    @Allowed(Permission.OPERATE)
    @Operation(
            summary = "Record the tokens actually used; idempotent for the same amount. Tokens beyond the reserved"
                    + " `tokens` are recorded as overshoot; more than the declared maximum is refused with 422")
    public ReservationStateView settle(@PathParam("id") String id, @Valid @NotNull SettleRequest request) {
        if (request.inputTokens() != null && request.inputTokens() > request.actualTokens()) {
            throw ApiException.invalidParameter("inputTokens", "must be at most actualTokens");
        }
        return ReservationStateView.of(
                ledger.settle(uuid(id), request.actualTokens(), request.model(), request.inputTokens()));
    }

    @DELETE
    @Path("/reservations/{id}")
    @Allowed(Permission.OPERATE)
    @Operation(summary = "Release a hold; idempotent")
    public ReservationStateView release(@PathParam("id") String id) {
        return ReservationStateView.of(ledger.release(uuid(id)));
    }

    @PUT
    @Path("/caps")
    @Allowed(Permission.ADMIN)
    @Operation(summary = "Set a scope's daily token and/or USD cap (and a team's time zone)")
    public ScopeBudgetView setCap(@Valid @NotNull CapRequest request) {
        if (request.dailyTokens() == null && request.dailyUsd() == null) {
            throw new ApiException(Problem.of(
                            ProblemType.INVALID_REQUEST,
                            "a cap needs dailyTokens (tokens per day) or dailyUsd (US dollars per day), or both")
                    .withErrors(List.of(
                            new Problem.FieldError("dailyTokens", "is required when dailyUsd is absent"),
                            new Problem.FieldError("dailyUsd", "is required when dailyTokens is absent"))));
        }
        try {
            BudgetScope scope = scope(request.scope());
            caps.setCap(scope, request.dailyTokens(), request.dailyUsd(), request.timeZone());
            return ScopeBudgetView.of(overview.scope(scope));
        } catch (DateTimeException e) {
            throw ApiException.invalidParameter("timeZone", "is not a known time zone");
        }
    }

    private static BudgetScope scope(ScopeRef ref) {
        BudgetScope.Kind kind = BudgetScope.Kind.fromWireName(ref.kind()).orElseThrow();
        if (kind != BudgetScope.Kind.GLOBAL && ref.id() == null) {
            throw ApiException.invalidParameter("scopes.id", "is required for a " + ref.kind() + " scope");
        }
        return new BudgetScope(kind, ref.id());
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("No reservation " + id);
        }
    }
}
