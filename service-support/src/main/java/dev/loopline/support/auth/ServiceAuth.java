package dev.loopline.support.auth;

import dev.loopline.core.auth.BearerToken;
import dev.loopline.core.auth.Caller;
import dev.loopline.core.auth.Permission;
import dev.loopline.core.auth.Role;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.support.rest.Allowed;
import dev.loopline.support.rest.Problem;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * Authentication and authorisation of every Loopline service but state-service (which issues the tokens), the same
 * way state-service does them: a caller is a name with a role ({@link Role}), and each resource method names the
 * {@link Permission} it needs ({@link Allowed}; none = admin, so a forgotten annotation fails closed).
 *
 * <ul>
 *   <li>The service token ({@code loopline.auth.token}, shared by the services) is the admin caller {@code
 *       bootstrap}, as in state-service.
 *   <li>Any other bearer value — an issued API token or an OIDC JWT — is resolved by state-service ({@link
 *       StateCallers}); without a configured state-service it is refused.
 *   <li>{@code /q/} (health, metrics) and the paths a service exempts (signed webhooks) need no token.
 * </ul>
 *
 * <p>Each service calls this from its own filter class: Quarkus finds filters among the application's classes only.
 * The authentication has two steps so that the filter can run the one that does I/O on a worker thread.
 */
public final class ServiceAuth {

    /** The request property that carries the authenticated {@link Caller}. */
    public static final String CALLER_PROPERTY = ServiceAuth.class.getName() + ".caller";

    /** The service token's caller name; it cannot tell who is calling. */
    public static final String BOOTSTRAP_NAME = "bootstrap";

    private static final String BEARER = "Bearer ";

    private ServiceAuth() {}

    /** The outcome of the first, I/O-free step. */
    public sealed interface First {}

    /** Authenticated already (service token) or exempt. */
    public record Passed() implements First {}

    /** Refused: answer with this response. */
    public record Refused(Response response) implements First {}

    /** A token state-service must resolve: call {@link #lookUp}. */
    public record LookUp(String token) implements First {}

    public static First first(
            ContainerRequestContext request, String serviceToken, BiPredicate<String, String> exempt) {
        String raw = request.getUriInfo().getPath();
        String path = raw.startsWith("/") ? raw : "/" + raw;
        if (path.equals("/q") || path.startsWith("/q/") || exempt.test(request.getMethod(), path)) {
            return new Passed();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (BearerToken.matches(header, serviceToken)) {
            request.setProperty(CALLER_PROPERTY, new Caller(BOOTSTRAP_NAME, Role.ADMIN, null, true));
            return new Passed();
        }
        if (header == null
                || !header.startsWith(BEARER)
                || header.substring(BEARER.length()).isBlank()) {
            return new Refused(unauthorized("A valid 'Authorization: Bearer <token>' is required"));
        }
        return new LookUp(header.substring(BEARER.length()).strip());
    }

    /**
     * Both steps, for a service's pre-matching {@code @ServerRequestFilter}: the service token and refusals are
     * answered at once, on the calling (event-loop) thread; a token state-service must resolve is looked up on a
     * worker thread.
     *
     * @return null when the caller is known or the path exempt, else the response to answer with
     */
    public static Uni<Response> authenticate(
            ContainerRequestContext request,
            String serviceToken,
            BiPredicate<String, String> exempt,
            Supplier<Optional<StateCallers>> callers) {
        First first = first(request, serviceToken, exempt);
        if (first instanceof Refused refused) {
            return Uni.createFrom().item(refused.response());
        }
        if (first instanceof LookUp lookUp) {
            return Uni.createFrom()
                    .item(() -> lookUp(request, lookUp.token(), callers.get()))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return Uni.createFrom().nullItem();
    }

    /**
     * The second step: asks state-service who {@code token} belongs to (blocking; cached).
     *
     * @return null when the caller is known (set on the request), else the response to answer with
     */
    public static Response lookUp(ContainerRequestContext request, String token, Optional<StateCallers> callers) {
        if (callers.isEmpty()) {
            return unauthorized("Only the service token is accepted here: no state-service is configured to tell"
                    + " issued API tokens and OIDC logins apart (loopline.auth.state-url)");
        }
        Optional<Caller> caller;
        try {
            caller = callers.get().resolve(token);
        } catch (StateCallers.Unavailable e) {
            return Problem.of(
                            ProblemType.AUTH_UNAVAILABLE,
                            "Who is calling cannot be checked now (" + e.getMessage()
                                    + "); try again shortly or use the service token")
                    .toResponse();
        }
        if (caller.isEmpty()) {
            return unauthorized(
                    "A valid 'Authorization: Bearer <token>' is required (unknown, expired and revoked tokens are refused)");
        }
        request.setProperty(CALLER_PROPERTY, caller.get());
        return null;
    }

    /**
     * Whether the authenticated caller holds the permission the resource method needs.
     *
     * @return null when it does, else the 401/403 response
     */
    public static Response authorize(ContainerRequestContext request, Method method, Class<?> resourceClass) {
        Caller caller = (Caller) request.getProperty(CALLER_PROPERTY);
        if (caller == null) {
            return unauthorized("A valid 'Authorization: Bearer <token>' is required");
        }
        Permission needed = needed(method, resourceClass);
        if (!caller.may(needed)) {
            return Problem.of(
                            ProblemType.FORBIDDEN,
                            "'" + caller.name() + "' (role " + caller.role().wireName() + ") may not do this: it needs"
                                    + " the " + needed.name().toLowerCase(java.util.Locale.ROOT) + " permission")
                    .toResponse();
        }
        return null;
    }

    /** The caller {@link #first} or {@link #lookUp} authenticated; empty on exempt paths. */
    public static Optional<Caller> caller(ContainerRequestContext request) {
        return Optional.ofNullable((Caller) request.getProperty(CALLER_PROPERTY));
    }

    static Permission needed(Method method, Class<?> resourceClass) {
        Allowed allowed = method == null ? null : method.getAnnotation(Allowed.class);
        if (allowed == null && resourceClass != null) {
            allowed = resourceClass.getAnnotation(Allowed.class);
        }
        return allowed == null ? Permission.ADMIN : allowed.value();
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(
                        Problem.of(ProblemType.UNAUTHORIZED, detail).toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }
}
