package dev.loopline.state.control;

import dev.loopline.core.auth.Caller;
import dev.loopline.core.auth.Permission;
import dev.loopline.schemas.control.ControlSnapshot;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.state.auth.CurrentCaller;
import dev.loopline.state.budget.BudgetScope;
import dev.loopline.state.budget.BudgetViews;
import dev.loopline.state.common.ApiException;
import dev.loopline.state.common.QueryParams;
import dev.loopline.state.common.StateConfig;
import dev.loopline.support.rest.Allowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The kill switch. A change is stored (state + log entry, one transaction) and then published; if the
 * publish fails the call fails, and repeating it republishes the same keyed state, which is harmless.
 */
@Path("/api/v1/control")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ControlResource {

    /**
     * {@code by} names who asked, and is used only with the shared bootstrap token, which cannot tell; with an
     * issued token the log records the token's name and {@code by} is ignored.
     */
    public record ControlRequest(
            @NotNull @Pattern(regexp = "global|team|loop", message = "must be global, team or loop") String scope,
            @Pattern(regexp = "^[a-z][a-z0-9-]{0,62}$", message = "must be a team or loop id") String id,
            @NotBlank @Size(max = 2000) String reason,
            @Size(max = 200) String by) {}

    @Inject
    ControlService control;

    @Inject
    StateConfig config;

    @Inject
    ControlProducer producer;

    @Inject
    CurrentCaller caller;

    @GET
    @Allowed(Permission.READ)
    @Operation(summary = "Every scope whose switch was ever set, with its state, reason, who and when")
    public List<KillSwitch> list() {
        return control.all();
    }

    @GET
    @Path("/snapshot")
    @Allowed(Permission.READ)
    @Operation(
            summary = "What is in force now: the killed scopes and the budget alerts that have not lapsed",
            description = "The same records as on the control topic, plus asOf. A scheduler polls this before"
                    + " triggering: a kill or a budget halt of the loop, its team or global means no trigger;"
                    + " report-only means trigger at most as L1.")
    public ControlSnapshot snapshot() {
        return control.snapshot();
    }

    @GET
    @Path("/events")
    @Allowed(Permission.READ)
    @Operation(
            summary = "The control log, newest first: every kill and resume (who, why), every budget threshold a"
                    + " scope reached (80 % report-only, 90 % alert, 100 % halt, with the figures) and every approval"
                    + " decision (approved, rejected, expired, voided: who, which request and tick, channel, why)")
    public List<ControlLogView> events(
            @Parameter(description = "global, team or loop; with id for team and loop") @QueryParam("scope")
                    String scope,
            @QueryParam("id") String id,
            @Parameter(description = "Inclusive lower bound of the time (ISO-8601)") @QueryParam("since") String since,
            @Parameter(description = "How many, 1 to 200") @QueryParam("limit") Integer limit) {
        BudgetScope only = null;
        String kind = QueryParams.text(scope);
        if (kind != null) {
            BudgetScope.Kind parsed = BudgetScope.Kind.fromWireName(kind)
                    .orElseThrow(() -> ApiException.invalidParameter("scope", "must be global, team or loop"));
            String scopeId = QueryParams.text(id);
            if (parsed != BudgetScope.Kind.GLOBAL && scopeId == null) {
                throw ApiException.invalidParameter("id", "is required for a " + kind + " scope");
            }
            only = parsed == BudgetScope.Kind.GLOBAL ? BudgetScope.global() : new BudgetScope(parsed, scopeId);
        }
        return control.log(only, QueryParams.instant("since", since), QueryParams.limit(limit, config.api())).stream()
                .map(ControlLogView::of)
                .toList();
    }

    /**
     * One control log entry; {@code scope.id} is {@code global} for the global scope. An approval decision also names
     * its request, its tick and (for a human's) the channel; other entries have them null.
     */
    public record ControlLogView(
            Instant time,
            String type,
            BudgetViews.ScopeView scope,
            String by,
            String reason,
            String approvalId,
            String tickId,
            String channel) {
        static ControlLogView of(ControlLogEntry e) {
            return new ControlLogView(
                    e.time(),
                    e.type(),
                    BudgetViews.ScopeView.of(e.scope()),
                    e.by(),
                    e.reason(),
                    e.approvalId(),
                    e.tickId(),
                    e.channel());
        }
    }

    @POST
    @Path("/kill")
    @Allowed(Permission.OPERATE)
    @Operation(summary = "Halt a scope: global, a team or a loop")
    public KillSwitch kill(@Valid @NotNull ControlRequest request) {
        return change(request, KillSwitch.State.KILLED);
    }

    @POST
    @Path("/resume")
    @Allowed(Permission.OPERATE)
    @Operation(summary = "Lift a scope's kill switch")
    public KillSwitch resume(@Valid @NotNull ControlRequest request) {
        return change(request, KillSwitch.State.RESUMED);
    }

    private KillSwitch change(ControlRequest request, KillSwitch.State state) {
        BudgetScope.Kind kind = BudgetScope.Kind.fromWireName(request.scope()).orElseThrow();
        if (kind != BudgetScope.Kind.GLOBAL && request.id() == null) {
            throw ApiException.invalidParameter("id", "is required for a " + request.scope() + " scope");
        }
        KillSwitch changed = control.set(new BudgetScope(kind, request.id()), state, request.reason(), actor(request));
        producer.publish(changed);
        return changed;
    }

    private String actor(ControlRequest request) {
        Caller who = caller.get();
        if (!who.bootstrap()) {
            return who.name();
        }
        return request.by() == null || request.by().isBlank()
                ? "api"
                : request.by().strip();
    }
}
