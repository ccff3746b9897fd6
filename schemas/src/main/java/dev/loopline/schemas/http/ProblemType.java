package dev.loopline.schemas.http;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every problem type a Loopline API answers with (RFC 9457 {@code type} = {@value #PREFIX}{@code <slug>}): its
 * title, its HTTP status and whether repeating the same request later may succeed. Servers build their problem
 * bodies from it and clients switch on it, so both sides agree on one list; a new kind of error is a new entry here.
 */
public enum ProblemType {
    // ---- any service: requests and callers
    INVALID_REQUEST("invalid-request", "Invalid request", 400, false),
    BAD_REQUEST("bad-request", "Bad Request", 400, false),
    UNAUTHORIZED("unauthorized", "Unauthorized", 401, false),
    FORBIDDEN("forbidden", "Forbidden", 403, false),
    NOT_FOUND("not-found", "Not Found", 404, false),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method Not Allowed", 405, false),
    NOT_ACCEPTABLE("not-acceptable", "Not Acceptable", 406, false),
    PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", 413, false),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported Media Type", 415, false),
    INTERNAL_ERROR("internal-error", "Internal Server Error", 500, false),
    AUTH_UNAVAILABLE("auth-unavailable", "Service Unavailable", 503, true),
    OIDC_KEYS_UNAVAILABLE("oidc-keys-unavailable", "Unauthorized", 401, true),

    // ---- scheduler: triggers, pauses, webhooks
    LOOP_NOT_FOUND("loop-not-found", "Loop not found", 404, false),
    INVALID_SPEC("invalid-spec", "Loop spec is invalid", 409, false),
    LEVEL_NOT_READY("level-not-ready", "Loop is not ready for its level", 409, false),
    PLAN_ONLY("plan-only", "L0 is plan-only", 409, false),
    PAUSED("paused", "Loop is paused", 409, false),
    HALTED("halted", "Loop is halted", 409, false),
    TICK_IN_FLIGHT("tick-in-flight", "A tick is in flight", 409, true),
    REPOSITORY_BUSY("repository-busy", "Another writing loop is running on this repository", 409, true),
    ADMISSION_REFUSED("admission-refused", "The loop may not run now", 409, false),
    ADMISSION_UNAVAILABLE("admission-unavailable", "Cannot check whether the loop may run", 503, true),
    TRIGGER_UNAVAILABLE("trigger-unavailable", "Cannot trigger now", 503, true),
    STORE_UNAVAILABLE("store-unavailable", "Scheduler state unavailable", 503, true),
    WEBHOOKS_NOT_CONFIGURED("webhooks-not-configured", "Webhooks not configured", 404, false),
    INVALID_SIGNATURE("invalid-signature", "Unauthorized", 401, false),
    INVALID_PAYLOAD("invalid-payload", "Invalid payload", 400, false),
    INVALID_DELIVERY_ID("invalid-delivery-id", "Invalid delivery id", 400, false),
    DELIVERY_REPLAYED("delivery-replayed", "Delivery already processed", 409, false),

    // ---- state-service: budget ledger, tokens
    BUDGET_EXHAUSTED("budget-exhausted", "Budget exhausted", 409, false),
    SCOPE_KILLED("scope-killed", "Scope killed", 409, false),
    PRICED_MODEL_REQUIRED("priced-model-required", "Priced model required", 422, false),
    SETTLE_EXCEEDS_MAXIMUM("settle-exceeds-maximum", "Settlement above the declared maximum", 422, false),
    RESERVATION_CONFLICT("reservation-conflict", "Conflict", 409, false),
    TOKEN_NAME_TAKEN("token-name-taken", "Conflict", 409, false),

    // ---- gate-service: approvals and chat integrations
    APPROVAL_NOT_FOUND("approval-not-found", "Approval request not found", 404, false),
    APPROVAL_CLOSED("approval-closed", "Approval request is no longer open", 409, false),
    NOT_AN_APPROVER("not-an-approver", "Not an approver for this team", 403, false),
    SELF_APPROVAL("self-approval", "Whoever triggered a tick may not approve it", 403, false),
    CHAT_USER_UNMAPPED("chat-user-unmapped", "Chat user is not mapped to a Loopline user", 403, false);

    /** What every {@code type} starts with. */
    public static final String PREFIX = "https://loopline.dev/problems/";

    private static final Map<String, ProblemType> BY_URI =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ProblemType::uri, Function.identity()));

    private final String slug;
    private final String title;
    private final int status;
    private final boolean retriable;

    ProblemType(String slug, String title, int status, boolean retriable) {
        this.slug = slug;
        this.title = title;
        this.status = status;
        this.retriable = retriable;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }

    /** Whether the same request may succeed later unchanged (a busy or briefly unavailable dependency). */
    public boolean retriable() {
        return retriable;
    }

    /** The {@code type} member: {@value #PREFIX}{@code <slug>}. */
    public String uri() {
        return PREFIX + slug;
    }

    /** The entry whose {@link #uri()} is {@code type}; empty for a type this reader does not know. */
    public static Optional<ProblemType> fromUri(String type) {
        return Optional.ofNullable(type == null ? null : BY_URI.get(type));
    }
}
