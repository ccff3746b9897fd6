package dev.loopline.state.auth;

import dev.loopline.core.auth.BearerToken;
import dev.loopline.core.auth.Caller;
import dev.loopline.core.auth.Permission;
import dev.loopline.core.auth.Role;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.support.rest.Allowed;
import dev.loopline.support.rest.Problem;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authentication (who is calling: 401 when nobody known) and authorisation (may this caller call this method: 403
 * otherwise), both answered as problem+json. {@code /q/} endpoints (health, metrics, OpenAPI) are not REST
 * resources and stay open for probes and scrapers.
 *
 * <p>Three kinds of bearer value: the bootstrap token, issued API tokens ({@code llt_…}, looked up by hash) and, when
 * {@code loopline.auth.oidc.issuer} is set, JWTs of that issuer ({@link OidcService}); a JWT while OIDC is off is an
 * unknown token like any other.
 *
 * <p>The token is never logged or echoed: problems name the caller's name and role only.
 */
public class AuthFilters {

    /** The bootstrap token's caller name. Reserved: no issued token may take it. */
    public static final String BOOTSTRAP_NAME = "bootstrap";

    private static final String CALLER_PROPERTY = AuthFilters.class.getName() + ".caller";
    private static final String BEARER = "Bearer ";

    /** Looked up per request: providers are created during static init, before runtime config exists. */
    @Inject
    Instance<AuthConfig> auth;

    @Inject
    ApiTokenService tokens;

    /** The bootstrap token, read from the config on the first request (a mapping instance per lookup is not free). */
    private volatile String bootstrapToken;

    @Inject
    OidcService oidc;

    @Inject
    CurrentCaller current;

    /**
     * Pre-matching, so unknown paths are refused too and do not reveal which resources exist. An issued token is
     * looked up in the database, a JWT verified (which may fetch the issuer's keys) on a worker thread (pre-matching
     * filters run on the event loop).
     */
    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (BearerToken.matches(header, bootstrapToken())) {
            request.setProperty(CALLER_PROPERTY, new Caller(BOOTSTRAP_NAME, Role.ADMIN, null, true));
            return Uni.createFrom().nullItem();
        }
        if (header == null || !header.startsWith(BEARER)) {
            return Uni.createFrom().item(unauthorized());
        }
        String presented = header.substring(BEARER.length()).strip();
        if (OidcVerifier.looksLikeJwt(presented) && oidc.enabled()) {
            return Uni.createFrom()
                    .item(() -> oidc.verify(presented))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .map(outcome -> oidcOutcome(request, outcome));
        }
        return Uni.createFrom()
                .item(() -> tokens.authenticate(presented))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(caller -> {
                    if (caller.isEmpty()) {
                        return unauthorized();
                    }
                    request.setProperty(CALLER_PROPERTY, caller.get());
                    return null;
                });
    }

    private Response oidcOutcome(ContainerRequestContext request, OidcVerifier.Outcome outcome) {
        if (outcome instanceof OidcVerifier.Authenticated authenticated) {
            request.setProperty(CALLER_PROPERTY, authenticated.caller());
            return null;
        }
        if (outcome instanceof OidcVerifier.NoLooplineGroup none) {
            return Problem.of(
                            ProblemType.FORBIDDEN,
                            "OIDC subject '" + none.callerName() + "' has no Loopline group: claim '"
                                    + none.rolesClaim() + "' holds none of " + none.expected()
                                    + "; ask the identity provider's administrator for one")
                    .toResponse();
        }
        if (outcome instanceof OidcVerifier.KeysUnavailable) {
            return unauthorized(Problem.of(
                    ProblemType.OIDC_KEYS_UNAVAILABLE,
                    "The signing keys of OIDC issuer " + oidc.issuer() + " could not be fetched, so no JWT can be"
                            + " verified now; try again later or use an API token"));
        }
        return unauthorized(Problem.of(
                ProblemType.UNAUTHORIZED, "The bearer JWT is refused: " + ((OidcVerifier.Refused) outcome).reason()));
    }

    private String bootstrapToken() {
        String token = bootstrapToken;
        if (token == null) {
            token = auth.get().token().strip();
            bootstrapToken = token;
        }
        return token;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Response authorize(ContainerRequestContext request, ResourceInfo resource) {
        Caller caller = (Caller) request.getProperty(CALLER_PROPERTY);
        if (caller == null) {
            return unauthorized();
        }
        Permission needed = needed(resource.getResourceMethod(), resource.getResourceClass());
        if (!caller.may(needed)) {
            return Problem.of(
                            ProblemType.FORBIDDEN,
                            "Caller '" + caller.name() + "' (role "
                                    + caller.role().wireName() + ") may not "
                                    + needed.name().toLowerCase(java.util.Locale.ROOT))
                    .toResponse();
        }
        current.set(caller);
        return null;
    }

    private static Permission needed(Method method, Class<?> resourceClass) {
        Allowed allowed = method == null ? null : method.getAnnotation(Allowed.class);
        if (allowed == null && resourceClass != null) {
            allowed = resourceClass.getAnnotation(Allowed.class);
        }
        return allowed == null ? Permission.ADMIN : allowed.value();
    }

    private static Response unauthorized() {
        return unauthorized(
                Problem.of(
                        ProblemType.UNAUTHORIZED,
                        "A valid 'Authorization: Bearer <token>' is required (unknown, expired and revoked tokens are refused)"));
    }

    private static Response unauthorized(Problem problem) {
        return Response.fromResponse(problem.toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }
}
