package dev.loopline.dashboard.rest;

import dev.loopline.dashboard.session.Session;
import dev.loopline.dashboard.session.SessionStore;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.support.rest.Problem;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Who is calling the dashboard's API, and whether a state-changing request really comes from the dashboard's page.
 *
 * <ul>
 *   <li>{@code /api/} and sign-out need the session cookie of a live session ({@link SessionStore}); else 401.
 *   <li>Every POST (and any other unsafe method) is refused with 403 when its {@code Origin} names another site, and
 *       when its {@code X-CSRF-Token} header is not the session's CSRF token (synchronizer token). Sign-in, which has
 *       no session yet, checks the header against the pre-session CSRF cookie instead (double submit).
 *   <li>The page, its scripts and {@code /q/} are public; {@code GET /auth/session} says whether one is signed in.
 * </ul>
 */
public class SessionFilters {

    public static final String SESSION_COOKIE = "loopline_session";
    public static final String CSRF_COOKIE = "loopline_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String SESSION_PROPERTY = SessionFilters.class.getName() + ".session";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    // resolved per request: providers are created before the runtime configuration exists
    @Inject
    Instance<SessionStore> store;

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Response authenticate(ContainerRequestContext request) {
        String raw = request.getUriInfo().getPath();
        String path = raw.startsWith("/") ? raw : "/" + raw;
        boolean unsafe = !SAFE_METHODS.contains(request.getMethod());
        if (unsafe && crossOrigin(request)) {
            return forbidden("a request from another site is refused (its Origin is not this dashboard)");
        }
        Optional<Session> session =
                cookie(request, SESSION_COOKIE).flatMap(id -> store.get().find(id));
        session.ifPresent(s -> request.setProperty(SESSION_PROPERTY, s));
        boolean needsSession = path.startsWith("/api/") || path.equals(SessionResource.SIGN_OUT);
        if (needsSession && session.isEmpty()) {
            return signInFirst().toResponse();
        }
        if (!unsafe) {
            return null;
        }
        String sent = request.getHeaderString(CSRF_HEADER);
        if (path.equals(SessionResource.SIGN_IN)) {
            Optional<String> expected = cookie(request, CSRF_COOKIE);
            if (expected.isEmpty() || !same(sent, expected.get())) {
                return forbidden("sign-in needs the " + CSRF_HEADER + " header that GET " + SessionResource.SESSION
                        + " hands out with its cookie; reload the page and sign in again");
            }
            return null;
        }
        if (session.isEmpty() || !same(sent, session.get().csrf())) {
            return forbidden("this action needs the session's " + CSRF_HEADER
                    + " header (reload the page if the session was renewed)");
        }
        return null;
    }

    /** The answer to a request that needs a session and has none. */
    public static Problem signInFirst() {
        return Problem.of(
                ProblemType.UNAUTHORIZED,
                "Sign in with your Loopline API token first (POST "
                        + SessionResource.SIGN_IN
                        + "); sessions end on sign-out, after idling or when the token is revoked");
    }

    static Session session(ContainerRequestContext request) {
        Session session = (Session) request.getProperty(SESSION_PROPERTY);
        if (session == null) {
            throw new IllegalStateException("no session on a path that needs one");
        }
        return session;
    }

    static Optional<Session> optionalSession(ContainerRequestContext request) {
        return Optional.ofNullable((Session) request.getProperty(SESSION_PROPERTY));
    }

    static Optional<String> cookie(ContainerRequestContext request, String name) {
        Cookie cookie = request.getCookies().get(name);
        return cookie == null || cookie.getValue().isBlank() ? Optional.empty() : Optional.of(cookie.getValue());
    }

    /** An {@code Origin} that is present and names another scheme, host or port than the request's {@code Host}. */
    static boolean crossOrigin(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin == null || origin.isBlank()) {
            return false;
        }
        String host = request.getHeaderString(HttpHeaders.HOST);
        try {
            URI from = URI.create(origin.strip());
            String authority = from.getPort() == -1 ? from.getHost() : from.getHost() + ":" + from.getPort();
            return host == null || !host.equalsIgnoreCase(authority);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static boolean same(String sent, String expected) {
        return sent != null
                && MessageDigest.isEqual(
                        sent.strip().getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static Response forbidden(String detail) {
        return Problem.of(ProblemType.FORBIDDEN, detail).toResponse();
    }
}
