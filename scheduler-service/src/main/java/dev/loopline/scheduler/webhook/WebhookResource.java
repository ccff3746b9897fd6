package dev.loopline.scheduler.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.schemas.spec.LoopSpec.EventTrigger.Source;
import dev.loopline.support.rest.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Signed webhooks from GitHub and GitLab. Not bearer-authenticated (the senders cannot carry our token):
 * each delivery is authenticated by its signature (GitHub) or secret token (GitLab), accepted once, and
 * triggers the loops whose {@code on} entries match it. Checks run in this order: source configured (404),
 * body size (413), signature (401), delivery id (400), JSON (400), replay (409).
 */
@Path(WebhookResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks", description = "Event triggers: signed GitHub and GitLab webhooks")
@SecurityRequirements
public class WebhookResource {

    public static final String PATH = "/api/v1/webhooks";
    public static final String GITHUB_PATH = PATH + "/github";
    public static final String GITLAB_PATH = PATH + "/gitlab";

    static final int MAX_DELIVERY_ID_LENGTH = 100;
    private static final Logger LOG = Logger.getLogger(WebhookResource.class);

    private final WebhookConfig config;
    private final WebhookDeliveryRepository deliveries;
    private final WebhookService service;
    private final ObjectMapper mapper;
    private final Clock clock;

    public WebhookResource(
            WebhookConfig config,
            WebhookDeliveryRepository deliveries,
            WebhookService service,
            ObjectMapper mapper,
            Clock clock) {
        this.config = config;
        this.deliveries = deliveries;
        this.service = service;
        this.mapper = mapper;
        this.clock = clock;
    }

    @POST
    @Path("/github")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary = "GitHub webhook (content type application/json)",
            description = "Authenticated by X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the webhook"
                    + " secret). push, issues/labeled, issue_comment on a pull request and"
                    + " pull_request_review_comment trigger the loops whose 'on' entries match; ping answers"
                    + " 200. Each X-GitHub-Delivery is accepted once (a redelivery is 409).")
    @APIResponse(
            responseCode = "202",
            description = "Accepted: the loops triggered and those skipped",
            content = @Content(schema = @Schema(implementation = WebhookService.Dispatch.class)))
    @APIResponse(responseCode = "200", description = "ping")
    @APIResponse(responseCode = "400", description = "No delivery id, or a signed body that is not valid JSON")
    @APIResponse(responseCode = "401", description = "Signature missing or wrong")
    @APIResponse(responseCode = "404", description = "GitHub webhooks are not configured (no secret)")
    @APIResponse(responseCode = "409", description = "Delivery (or the same body) already processed")
    @APIResponse(responseCode = "413", description = "Body larger than loopline.scheduler.webhooks.max-body-size")
    public Response github(
            @Parameter(description = "sha256=<hex HMAC of the body>") @HeaderParam("X-Hub-Signature-256")
                    String signature,
            @Parameter(description = "push, issues, issue_comment, pull_request_review_comment, ping")
                    @HeaderParam("X-GitHub-Event")
                    String event,
            @Parameter(description = "Unique id of the delivery (reused by Redeliver)")
                    @HeaderParam("X-GitHub-Delivery")
                    String deliveryId,
            byte[] body) {
        Optional<String> secret = config.github().secret().filter(s -> !s.isBlank());
        Response refused = refuseBeforeContent(Source.GITHUB, secret, body);
        if (refused != null) {
            return refused;
        }
        if (!SignatureVerifier.githubSignatureValid(secret.get(), body, signature)) {
            return unauthorized(Source.GITHUB);
        }
        if ("ping".equals(event == null ? null : event.trim())) {
            return Response.ok(new WebhookService.Dispatch(deliveryId, List.of(), List.of(), "ping"))
                    .build();
        }
        return accept(
                Source.GITHUB,
                "X-GitHub-Delivery",
                deliveryId,
                body,
                json -> PayloadNormalizer.github(event, deliveryId, json));
    }

    @POST
    @Path("/gitlab")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary = "GitLab webhook",
            description = "Authenticated by X-Gitlab-Token (the secret token, compared in constant time)."
                    + " Push Hook, Issue Hook adding a label and Note Hook on a merge request trigger the loops"
                    + " whose 'on' entries match. Each X-Gitlab-Event-UUID is accepted once.")
    @APIResponse(
            responseCode = "202",
            description = "Accepted: the loops triggered and those skipped",
            content = @Content(schema = @Schema(implementation = WebhookService.Dispatch.class)))
    @APIResponse(responseCode = "400", description = "No delivery id, or a body that is not valid JSON")
    @APIResponse(responseCode = "401", description = "Token missing or wrong")
    @APIResponse(responseCode = "404", description = "GitLab webhooks are not configured (no secret)")
    @APIResponse(responseCode = "409", description = "Delivery (or the same body) already processed")
    @APIResponse(responseCode = "413", description = "Body larger than loopline.scheduler.webhooks.max-body-size")
    public Response gitlab(
            @Parameter(description = "The webhook's secret token") @HeaderParam("X-Gitlab-Token") String token,
            @Parameter(description = "Push Hook, Issue Hook, Note Hook (and their confidential variants)")
                    @HeaderParam("X-Gitlab-Event")
                    String event,
            @Parameter(description = "Unique id of the delivery") @HeaderParam("X-Gitlab-Event-UUID") String deliveryId,
            byte[] body) {
        Optional<String> secret = config.gitlab().secret().filter(s -> !s.isBlank());
        Response refused = refuseBeforeContent(Source.GITLAB, secret, body);
        if (refused != null) {
            return refused;
        }
        if (!SignatureVerifier.gitlabTokenValid(secret.get(), token)) {
            return unauthorized(Source.GITLAB);
        }
        return accept(
                Source.GITLAB,
                "X-Gitlab-Event-UUID",
                deliveryId,
                body,
                json -> PayloadNormalizer.gitlab(event, deliveryId, json));
    }

    /** Fail closed without a secret; refuse an oversized body before spending an HMAC on it. */
    private Response refuseBeforeContent(Source source, Optional<String> secret, byte[] body) {
        if (secret.isEmpty()) {
            String env = "LOOPLINE_SCHEDULER_WEBHOOKS_" + source.name() + "_SECRET";
            return Problem.of(
                            ProblemType.WEBHOOKS_NOT_CONFIGURED,
                            source.wireName() + " webhooks are not configured; set loopline.scheduler.webhooks."
                                    + source.wireName() + ".secret (environment " + env
                                    + ") to the webhook's secret")
                    .toResponse();
        }
        long max = config.maxBodySize().asLongValue();
        if (body != null && body.length > max) {
            return Problem.of(
                            ProblemType.PAYLOAD_TOO_LARGE,
                            "the body has " + body.length + " bytes; at most " + max
                                    + " are accepted (loopline.scheduler.webhooks.max-body-size)")
                    .toResponse();
        }
        return null;
    }

    private interface Parser {
        Normalized normalize(JsonNode json);
    }

    private Response accept(Source source, String idHeader, String deliveryId, byte[] body, Parser parser) {
        String idProblem = deliveryIdProblem(deliveryId);
        if (idProblem != null) {
            return Problem.of(ProblemType.INVALID_DELIVERY_ID, "header " + idHeader + " " + idProblem)
                    .toResponse();
        }
        JsonNode json;
        try {
            json = body == null || body.length == 0 ? null : mapper.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            return Problem.of(
                            ProblemType.INVALID_PAYLOAD,
                            "the body is not a JSON object; set the webhook's content type to application/json")
                    .toResponse();
        }
        Normalized normalized;
        try {
            normalized = parser.normalize(json);
        } catch (MalformedPayloadException e) {
            return Problem.of(ProblemType.INVALID_PAYLOAD, e.getMessage()).toResponse();
        }
        String bodyHash = HexFormat.of().formatHex(SignatureVerifier.sha256(body));
        Optional<WebhookDeliveryRepository.Earlier> earlier =
                deliveries.recordFirst(source.wireName(), deliveryId, bodyHash, clock.instant());
        if (earlier.isPresent()) {
            WebhookDeliveryRepository.Earlier e = earlier.get();
            LOG.warnf(
                    "%s delivery %s refused as a replay of delivery %s", source.wireName(), deliveryId, e.deliveryId());
            return Problem.of(
                            ProblemType.DELIVERY_REPLAYED,
                            e.sameId()
                                    ? "delivery " + deliveryId + " already processed at " + e.receivedAt()
                                    : "the same payload was already processed as delivery " + e.deliveryId() + " at "
                                            + e.receivedAt())
                    .toResponse();
        }
        if (normalized instanceof Normalized.Ignored ignored) {
            LOG.debugf("%s delivery %s ignored: %s", source.wireName(), deliveryId, ignored.reason());
            return Response.accepted(new WebhookService.Dispatch(deliveryId, List.of(), List.of(), ignored.reason()))
                    .build();
        }
        WebhookEvent event = ((Normalized.Matchable) normalized).event();
        return Response.accepted(service.dispatch(event)).build();
    }

    /** Ids go into {@code trigger.by} and the logs: short, and letters, digits, '-', '_', '.' only. */
    static String deliveryIdProblem(String deliveryId) {
        if (deliveryId == null || deliveryId.isBlank()) {
            return "is required";
        }
        if (deliveryId.length() > MAX_DELIVERY_ID_LENGTH) {
            return "is longer than " + MAX_DELIVERY_ID_LENGTH + " characters";
        }
        for (int i = 0; i < deliveryId.length(); i++) {
            char c = deliveryId.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.';
            if (!ok) {
                return "may hold only letters, digits, '-', '_' and '.'";
            }
        }
        return null;
    }

    private static Response unauthorized(Source source) {
        // one answer for a missing, malformed or wrong signature: nothing that helps a forger
        return Problem.of(
                        ProblemType.INVALID_SIGNATURE,
                        "the delivery is not signed with the configured " + source.wireName() + " webhook secret")
                .toResponse();
    }
}
