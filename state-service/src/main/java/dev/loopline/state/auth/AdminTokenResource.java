package dev.loopline.state.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.loopline.core.auth.Permission;
import dev.loopline.core.auth.Role;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.state.auth.ApiTokenRepository.TokenRow;
import dev.loopline.state.common.ApiException;
import dev.loopline.support.rest.Allowed;
import dev.loopline.support.rest.Problem;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Issued API tokens: create (the plaintext is answered once), list (never a secret), revoke. Admin only. */
@Path("/api/v1/admin/tokens")
@Allowed(Permission.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminTokenResource {

    public record CreateRequest(
            @NotNull
                    @Pattern(
                            regexp = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$",
                            message = "must be 1-100 of A-Z a-z 0-9 . _ @ -")
                    String name,
            @NotNull
                    @Pattern(
                            regexp = "viewer|operator|approver|admin",
                            message = "must be viewer, operator, approver or admin")
                    String role,
            @Pattern(regexp = "^[a-z][a-z0-9-]{0,62}$", message = "must be a team id") String team,
            Instant expiresAt) {}

    /** A token as listed: never its secret. */
    public record TokenView(
            UUID id,
            String name,
            String role,
            String team,
            Instant expiresAt,
            boolean revoked,
            Instant revokedAt,
            String createdBy,
            Instant createdAt) {
        static TokenView of(TokenRow t) {
            return new TokenView(
                    t.id(),
                    t.name(),
                    t.role(),
                    t.team(),
                    t.expiresAt(),
                    t.revoked(),
                    t.revokedAt(),
                    t.createdBy(),
                    t.createdAt());
        }
    }

    /** The answer to a creation: the one time the plaintext {@code token} is shown. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CreatedView(
            UUID id,
            String name,
            String role,
            String team,
            Instant expiresAt,
            String createdBy,
            Instant createdAt,
            String token) {}

    @Inject
    ApiTokenService tokens;

    @Inject
    AuthConfig config;

    @Inject
    CurrentCaller caller;

    @Inject
    Clock clock;

    @POST
    @Operation(summary = "Issue a token; the answer carries its plaintext, shown this once only")
    public Response create(@Valid @NotNull CreateRequest request, @Context UriInfo uri) {
        Role role = Role.fromWireName(request.role()).orElseThrow();
        if (request.team() != null && role != Role.APPROVER) {
            throw ApiException.invalidParameter("team", "applies to approver tokens only");
        }
        if (AuthFilters.BOOTSTRAP_NAME.equals(request.name())) {
            throw ApiException.invalidParameter("name", "is reserved for the bootstrap token");
        }
        Instant now = clock.instant();
        Instant expiresAt = request.expiresAt() == null ? now.plus(config.defaultTokenTtl()) : request.expiresAt();
        if (!expiresAt.isAfter(now)) {
            throw ApiException.invalidParameter("expiresAt", "must be in the future");
        }
        if (expiresAt.isAfter(now.plus(config.maxTokenTtl()))) {
            throw ApiException.invalidParameter(
                    "expiresAt", "must be within " + config.maxTokenTtl().toDays() + " days");
        }
        ApiTokenService.Issued issued;
        try {
            issued = tokens.create(
                    request.name(),
                    role,
                    request.team(),
                    expiresAt,
                    caller.get().name());
        } catch (ApiTokenService.NameTakenException e) {
            throw new ApiException(Problem.of(ProblemType.TOKEN_NAME_TAKEN, e.getMessage()));
        }
        TokenRow t = issued.token();
        return Response.created(
                        uri.getAbsolutePathBuilder().path(t.id().toString()).build())
                .entity(new CreatedView(
                        t.id(),
                        t.name(),
                        t.role(),
                        t.team(),
                        t.expiresAt(),
                        t.createdBy(),
                        t.createdAt(),
                        issued.plaintext()))
                .build();
    }

    @GET
    @Operation(summary = "Every issued token (revoked ones too), without secrets")
    public List<TokenView> list() {
        return tokens.list().stream().map(TokenView::of).toList();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a token; idempotent")
    public TokenView revoke(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("No token " + id);
        }
        return tokens.revoke(uuid).map(TokenView::of).orElseThrow(() -> ApiException.notFound("No token " + id));
    }
}
