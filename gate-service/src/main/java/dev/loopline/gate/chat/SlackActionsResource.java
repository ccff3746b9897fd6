package dev.loopline.gate.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.core.auth.Caller;
import dev.loopline.gate.approval.ApprovalDecisions;
import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.approval.ApprovalNotice.Channel;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.schemas.json.Json;
import dev.loopline.support.rest.Problem;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Slack's interactivity and slash-command Request URL. Not bearer-authenticated (Slack cannot carry our token): every
 * request must carry Slack's v0 signature over its raw body ({@link SlackSignature}), be fresh and not seen before,
 * and come from a Slack user an admin mapped to a Loopline approver ({@link SlackUsers}). Checks in this order:
 * signing secret configured (404), body size (413), signature and timestamp (401), replay (409), form (400), mapped
 * user (told in Slack, nothing decided). The vote itself runs after the answer (Slack wants one within 3 s; a merge
 * can take longer) and its outcome is sent to the request's {@code response_url}, visible to the voter only.
 */
@Path(SlackActionsResource.PATH)
@Tag(name = "integrations", description = "Slack: signed button clicks and /loopline commands")
@SecurityRequirements
public class SlackActionsResource {

    public static final String PATH = "/api/v1/integrations/slack/actions";

    private static final Logger LOG = Logger.getLogger(SlackActionsResource.class);
    private static final String REJECTED_WITHOUT_COMMENT = "Rejected from Slack";

    /** What Slack shows the user who clicked or typed; {@code ephemeral} = only them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SlackReply(
            @JsonProperty("response_type") String responseType,
            @JsonProperty("replace_original") Boolean replaceOriginal,
            String text) {
        static SlackReply ephemeral(String text) {
            return new SlackReply("ephemeral", false, text);
        }
    }

    private final SlackConfig config;
    private final SlackReplayGuard replays;
    private final SlackUsers users;
    private final SlackNotifier notifier;
    private final Instance<ApprovalDecisions> decisions;
    private final OutboundExecutor outbound;
    private final JsonHttp http;
    private final Clock clock;

    public SlackActionsResource(
            SlackConfig config,
            SlackReplayGuard replays,
            SlackUsers users,
            SlackNotifier notifier,
            Instance<ApprovalDecisions> decisions,
            OutboundExecutor outbound,
            Clock clock) {
        this.config = config;
        this.replays = replays;
        this.users = users;
        this.notifier = notifier;
        this.decisions = decisions;
        this.outbound = outbound;
        this.clock = clock;
        this.http = new JsonHttp(config.timeout());
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Slack interactivity (block_actions) and the /loopline slash command",
            description = "Authenticated by X-Slack-Signature (v0: HMAC-SHA256 of 'v0:<X-Slack-Request-Timestamp>:<raw"
                    + " body>' with the app's signing secret), within 5 minutes, each signature once. The Slack user"
                    + " must be mapped to a Loopline approver (PUT /api/v1/admin/slack-users on state-service).")
    @APIResponse(responseCode = "200", description = "Accepted; what Slack shows the user (ephemeral)")
    @APIResponse(responseCode = "400", description = "Signed, but neither a block_actions payload nor a command")
    @APIResponse(responseCode = "401", description = "Unsigned, forged or stale")
    @APIResponse(responseCode = "404", description = "No signing secret configured: every request is refused")
    @APIResponse(responseCode = "409", description = "This signed request was received before")
    @APIResponse(responseCode = "413", description = "Body larger than loopline.slack.max-body-bytes")
    public Response act(
            @HeaderParam("X-Slack-Request-Timestamp") String timestamp,
            @HeaderParam("X-Slack-Signature") String signature,
            byte[] body) {
        Optional<String> secret = config.signingSecret().filter(s -> !s.isBlank());
        if (secret.isEmpty()) {
            return Problem.of(
                            ProblemType.WEBHOOKS_NOT_CONFIGURED,
                            "Slack actions are not configured: set loopline.slack.signing-secret (environment"
                                    + " LOOPLINE_SLACK_SIGNING_SECRET) to the Slack app's signing secret")
                    .toResponse();
        }
        byte[] raw = body == null ? new byte[0] : body;
        if (raw.length > config.maxBodyBytes()) {
            return Problem.of(
                            ProblemType.PAYLOAD_TOO_LARGE,
                            "the body has " + raw.length + " bytes; at most " + config.maxBodyBytes()
                                    + " are accepted (loopline.slack.max-body-bytes)")
                    .toResponse();
        }
        SlackSignature.Check check =
                SlackSignature.verify(secret.get(), timestamp, signature, raw, clock.instant(), config.replayWindow());
        if (check != SlackSignature.Check.VALID) {
            LOG.warnf("Slack request refused: %s", check);
            return Problem.of(ProblemType.INVALID_SIGNATURE, refusal(check)).toResponse();
        }
        if (!replays.firstSeen(signature, clock.instant())) {
            LOG.warn("Slack request refused: replayed signature");
            return Problem.of(ProblemType.DELIVERY_REPLAYED, "this signed Slack request was already received")
                    .toResponse();
        }
        Map<String, String> form = form(raw);
        if (form.containsKey("payload")) {
            return interaction(form.get("payload"));
        }
        if (form.containsKey("command")) {
            return command(form);
        }
        return invalid("the body holds neither a 'payload' (interactivity) nor a 'command' (slash command)");
    }

    private String refusal(SlackSignature.Check check) {
        return switch (check) {
            case UNSIGNED -> "the request carries no X-Slack-Signature or X-Slack-Request-Timestamp";
            case STALE -> "X-Slack-Request-Timestamp is not within "
                    + config.replayWindow().toMinutes()
                    + " minutes of now (a replayed request, or a clock that is off)";
            default -> "X-Slack-Signature does not match the body with the configured signing secret";
        };
    }

    /** A {@code block_actions} click of Approve or Reject; any other interaction is acknowledged and ignored. */
    private Response interaction(String payloadJson) {
        JsonNode payload;
        try {
            payload = Json.mapper().readTree(payloadJson);
        } catch (IOException e) {
            return invalid("'payload' is not JSON");
        }
        if (!"block_actions".equals(payload.path("type").asText())) {
            return Response.ok().build();
        }
        JsonNode action = payload.path("actions").path(0);
        String actionId = action.path("action_id").asText("");
        boolean approve = SlackMessages.APPROVE_ACTION.equals(actionId);
        if (!approve && !SlackMessages.REJECT_ACTION.equals(actionId)) {
            return Response.ok().build(); // the dashboard link button, or a button that is not ours
        }
        String approvalId = action.path("value").asText("");
        String teamId = payload.path("team")
                .path("id")
                .asText(payload.path("user").path("team_id").asText(""));
        String userId = payload.path("user").path("id").asText("");
        Optional<URI> responseUrl = responseUrl(payload.path("response_url").asText(null));
        if (approvalId.isBlank() || teamId.isBlank() || userId.isBlank() || responseUrl.isEmpty()) {
            return invalid(
                    "the block_actions payload lacks the request id, team.id, user.id or a Slack" + " response_url");
        }
        notifier.remember(
                approvalId,
                payload.path("container").path("channel_id").asText(null),
                payload.path("container").path("message_ts").asText(null));
        Optional<Caller> caller = caller(teamId, userId, responseUrl.get());
        caller.ifPresent(
                c -> decideLater(approvalId, approve, c, approve ? null : REJECTED_WITHOUT_COMMENT, responseUrl.get()));
        return Response.ok().build();
    }

    /** {@code /loopline approve|reject|status <id> [comment]}. */
    private Response command(Map<String, String> form) {
        Optional<URI> responseUrl = responseUrl(form.get("response_url"));
        String teamId = form.getOrDefault("team_id", "");
        String userId = form.getOrDefault("user_id", "");
        if (teamId.isBlank() || userId.isBlank() || responseUrl.isEmpty()) {
            return invalid("the slash command lacks team_id, user_id or a Slack response_url");
        }
        Optional<SlackCommand> command = SlackCommand.parse(form.get("text"));
        if (command.isEmpty()) {
            return reply(SlackCommand.USAGE);
        }
        SlackCommand c = command.get();
        Optional<Caller> caller;
        try {
            caller = users.lookUp(teamId, userId);
        } catch (SlackUsers.Unavailable e) {
            LOG.warnf("Slack user lookup failed: %s", e.getMessage());
            return reply(unavailable());
        }
        if (caller.isEmpty()) {
            return reply(unmapped(teamId, userId));
        }
        Optional<ApprovalDecisions> approvals = approvals();
        if (approvals.isEmpty()) {
            return reply("Approvals are not available on this gate.");
        }
        return switch (c.verb()) {
            case STATUS -> reply(approvals
                    .get()
                    .find(c.approvalId())
                    .map(SlackActionsResource::status)
                    .orElse("No approval request `" + SlackMessages.escape(c.approvalId()) + "`."));
            case APPROVE, REJECT -> {
                boolean approve = c.verb() == SlackCommand.Verb.APPROVE;
                if (!approve && c.comment() == null) {
                    yield reply("A rejection needs a reason: `/loopline reject " + SlackMessages.escape(c.approvalId())
                            + " <comment>`");
                }
                decideLater(c.approvalId(), approve, caller.get(), c.comment(), responseUrl.get());
                yield reply((approve ? "Recording your approval" : "Recording your rejection") + " of `"
                        + SlackMessages.escape(c.approvalId()) + "` as "
                        + SlackMessages.escape(caller.get().name())
                        + "…");
            }
        };
    }

    /**
     * The mapped Loopline caller of a click; when there is none (or the lookup fails), the user is told why through
     * {@code response_url} and empty is returned: nothing is decided.
     */
    private Optional<Caller> caller(String teamId, String userId, URI responseUrl) {
        String why;
        try {
            Optional<Caller> caller = users.lookUp(teamId, userId);
            if (caller.isPresent()) {
                return caller;
            }
            why = unmapped(teamId, userId);
        } catch (SlackUsers.Unavailable e) {
            LOG.warnf("Slack user lookup failed: %s", e.getMessage());
            why = unavailable();
        }
        String text = why;
        outbound.submit(
                SlackNotifier.TARGET, "telling a Slack user why nothing was decided", () -> respond(responseUrl, text));
        return Optional.empty();
    }

    private void decideLater(String approvalId, boolean approve, Caller caller, String comment, URI responseUrl) {
        outbound.submit(SlackNotifier.TARGET, "deciding request " + approvalId + " from Slack", () -> {
            Optional<ApprovalDecisions> approvals = approvals();
            if (approvals.isEmpty()) {
                respond(responseUrl, "Approvals are not available on this gate.");
                return;
            }
            ApprovalDecisions.Outcome outcome =
                    approvals.get().decide(approvalId, approve, caller, Channel.SLACK, comment);
            String text = outcome.accepted()
                    ? SlackMessages.escape(outcome.message())
                    : "Not counted ("
                            + (outcome.refusal() == null
                                    ? "refused"
                                    : outcome.refusal().slug()) + "): " + SlackMessages.escape(outcome.message());
            respond(responseUrl, text);
        });
    }

    private void respond(URI responseUrl, String text) throws IOException {
        JsonHttp.Reply reply = http.send("POST", responseUrl, Map.of(), SlackReply.ephemeral(text));
        if (!reply.ok()) {
            throw new IOException("Slack response_url answered " + reply.status());
        }
    }

    private Optional<ApprovalDecisions> approvals() {
        return decisions.isResolvable() ? Optional.of(decisions.get()) : Optional.empty();
    }

    /** Only Slack's own response URLs are called back: a signed request still must not steer the gate elsewhere. */
    private Optional<URI> responseUrl(String url) {
        if (url == null || !url.startsWith(config.responseUrlPrefix())) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(url));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String status(ApprovalNotice n) {
        long approvals = n.votes().stream().filter(ApprovalNotice.Vote::approve).count();
        return "`" + SlackMessages.escape(n.id()) + "` (" + SlackMessages.escape(n.loopId()) + ", team "
                + SlackMessages.escape(n.team()) + "): " + n.state().name().toLowerCase(java.util.Locale.ROOT) + ", "
                + approvals + " of " + n.quorum() + " approvals"
                + (n.reason() == null ? "" : "; " + SlackMessages.escape(n.reason()));
    }

    private static String unmapped(String teamId, String userId) {
        return "You are not mapped to a Loopline user, so nothing was decided. Ask a Loopline admin to map Slack user "
                + userId + " of workspace " + teamId + " to your Loopline approver (PUT /api/v1/admin/slack-users/"
                + teamId + "/" + userId + " on state-service).";
    }

    private static String unavailable() {
        return "Loopline cannot check who you are right now, so nothing was decided; try again shortly.";
    }

    private static Response reply(String text) {
        return Response.ok(SlackReply.ephemeral(text), MediaType.APPLICATION_JSON)
                .build();
    }

    private static Response invalid(String detail) {
        return Problem.of(ProblemType.INVALID_PAYLOAD, detail).toResponse();
    }

    /** {@code application/x-www-form-urlencoded}, as Slack sends both kinds of request. */
    static Map<String, String> form(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return Map.of();
        }
        Map<String, String> form = new HashMap<>();
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            form.putIfAbsent(name, value);
        }
        return form.entrySet().stream()
                .filter(e -> !e.getKey().isEmpty())
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
