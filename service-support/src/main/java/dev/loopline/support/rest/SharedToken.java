package dev.loopline.support.rest;

import dev.loopline.core.auth.BearerToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.function.BiPredicate;

/**
 * The authentication of a service called only by other Loopline services and operators: every request must carry
 * {@code Authorization: Bearer <the service's token>}, compared in constant time. {@code /q/} (health, metrics) stays
 * open for probes and scrapers. No token configured refuses every request: the check fails closed.
 *
 * <p>Each service calls this from its own {@code @Provider @PreMatching} filter (pre-matching, so an unknown path is
 * refused like a known one and reveals nothing). The filter stays in the service on purpose: Quarkus finds filters by
 * the classes of the application, and a filter inherited from a library jar it had not indexed would silently not
 * run. The state-service authenticates its users differently (issued tokens with roles) and does not use this.
 */
public final class SharedToken {

    /** What a refused caller is told by default. */
    public static final String DEFAULT_DETAIL = "a valid bearer token is required (Authorization: Bearer <token>)";

    private static final BiPredicate<String, String> NONE_EXEMPT = (method, path) -> false;

    private SharedToken() {}

    /** Aborts the request with a 401 problem unless it carries {@code expected}; null or blank refuses everyone. */
    public static void require(ContainerRequestContext request, String expected) {
        require(request, expected, NONE_EXEMPT, DEFAULT_DETAIL);
    }

    /**
     * As {@link #require(ContainerRequestContext, String)}, but requests for which {@code exempt} (method, path
     * starting with {@code /}) holds pass without a token (they authenticate another way, or are public), and a
     * refused caller is told {@code detail} (never the token).
     */
    public static void require(
            ContainerRequestContext request, String expected, BiPredicate<String, String> exempt, String detail) {
        String raw = request.getUriInfo().getPath();
        String path = raw.startsWith("/") ? raw : "/" + raw;
        if (path.equals("/q") || path.startsWith("/q/") || exempt.test(request.getMethod(), path)) {
            return;
        }
        if (!BearerToken.matches(request.getHeaderString(HttpHeaders.AUTHORIZATION), expected)) {
            request.abortWith(Response.fromResponse(
                            Problem.of(Response.Status.UNAUTHORIZED, detail).toResponse())
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .build());
        }
    }
}
