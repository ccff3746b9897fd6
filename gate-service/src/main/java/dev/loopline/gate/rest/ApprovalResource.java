package dev.loopline.gate.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.loopline.core.auth.Caller;
import dev.loopline.core.auth.Permission;
import dev.loopline.gate.approval.ApprovalDecisions.Outcome;
import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.approval.ApprovalNotice.Channel;
import dev.loopline.gate.approval.ApprovalNotice.State;
import dev.loopline.gate.repository.ApprovalRepository;
import dev.loopline.gate.service.ApprovalService;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.support.auth.ServiceAuth;
import dev.loopline.support.rest.Allowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Approval requests of the gate: every role may read them; approving and rejecting need the approver role for the
 * loop's team (checked per request, so a viewer gets 403 {@code not-an-approver}), and are idempotent.
 */
@Path("/api/v1/approvals")
@Produces(MediaType.APPLICATION_JSON)
@Allowed(Permission.READ)
public class ApprovalResource {

    static final int MAX_COMMENT = 4000;
    static final int MAX_LIMIT = 500;

    /** Body of approve and reject; {@code channel} is {@code rest} (default), {@code cli} or {@code dashboard}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VoteRequest(String comment, String channel) {}

    /** The answer to a vote: whether it counted, a sentence for the human, the request after it. */
    public record VoteAnswer(boolean accepted, String message, ApprovalNotice approval) {}

    private final ApprovalService approvals;

    public ApprovalResource(ApprovalService approvals) {
        this.approvals = approvals;
    }

    /** Requests, newest first; {@code state} is one of open, merged, rejected, expired, voided. */
    @GET
    public List<ApprovalNotice> list(
            @QueryParam("team") String team,
            @QueryParam("loop") String loop,
            @QueryParam("state") String state,
            @QueryParam("limit") Integer limit) {
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw problem(ProblemType.INVALID_REQUEST, "limit must be between 1 and " + MAX_LIMIT + ", got " + max);
        }
        return approvals.list(new ApprovalRepository.Filter(blankToNull(team), blankToNull(loop), state(state), max));
    }

    @GET
    @Path("/{id}")
    public ApprovalNotice get(@PathParam("id") String id) {
        return approvals
                .find(id)
                .orElseThrow(() -> problem(ProblemType.APPROVAL_NOT_FOUND, "no approval request " + id));
    }

    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.WILDCARD)
    public VoteAnswer approve(@PathParam("id") String id, VoteRequest body, @Context ContainerRequestContext context) {
        return vote(id, true, body, context);
    }

    /** Needs a comment saying why. */
    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.WILDCARD)
    public VoteAnswer reject(@PathParam("id") String id, VoteRequest body, @Context ContainerRequestContext context) {
        return vote(id, false, body, context);
    }

    private VoteAnswer vote(String id, boolean approve, VoteRequest body, ContainerRequestContext context) {
        Caller caller = ServiceAuth.caller(context).orElseThrow(() -> new IllegalStateException("no caller"));
        String comment = body == null ? null : body.comment();
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw problem(ProblemType.INVALID_REQUEST, "comment must be at most " + MAX_COMMENT + " characters");
        }
        Outcome outcome = approvals.decide(id, approve, caller, channel(body), comment);
        if (!outcome.accepted()) {
            throw problem(outcome.refusal(), outcome.message());
        }
        return new VoteAnswer(true, outcome.message(), outcome.notice());
    }

    private static Channel channel(VoteRequest body) {
        String name =
                body == null || body.channel() == null ? "rest" : body.channel().strip();
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "rest" -> Channel.REST;
            case "cli" -> Channel.CLI;
            case "dashboard" -> Channel.DASHBOARD;
            default -> throw problem(
                    ProblemType.INVALID_REQUEST,
                    "channel must be rest, cli or dashboard (Slack votes come through the Slack endpoint), got '" + name
                            + "'");
        };
    }

    private static State state(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        return Arrays.stream(State.values())
                .filter(s -> s.name().equalsIgnoreCase(state.strip()))
                .findFirst()
                .orElseThrow(() -> problem(
                        ProblemType.INVALID_REQUEST,
                        "state must be one of open, merged, rejected, expired, voided; got '" + state + "'"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static ProblemException problem(ProblemType type, String detail) {
        return new ProblemException(type, detail);
    }
}
