package dev.loopline.dashboard.rest;

import dev.loopline.core.auth.Permission;
import dev.loopline.dashboard.client.Upstream;
import dev.loopline.dashboard.config.DashboardConfig;
import dev.loopline.dashboard.session.OidcSignIn;
import dev.loopline.dashboard.session.Session;
import dev.loopline.dashboard.session.SessionStore;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.support.rest.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Sign-in with one's own API token, who one is signed in as, sign-out. */
@Path("/auth")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    static final String SESSION = "/auth/session";
    static final String SIGN_IN = "/auth/sign-in";
    static final String SIGN_OUT = "/auth/sign-out";
    static final String OIDC_CALLBACK = "/auth/oidc/callback";

    /**
     * Binds a sign-in at the identity provider to the browser that started it. SameSite=Lax, not Strict: the
     * provider's redirect back is a cross-site navigation, on which a Strict cookie would not be sent.
     */
    static final String OIDC_COOKIE = "loopline_oidc";

    /** The sign-in form's body: the user's own Loopline API token. */
    public record SignInRequest(String token) {}

    /** What the user may do here: the controls the page shows (the services check again). */
    public record Abilities(boolean operate, boolean approve, boolean admin) {}

    /** Which optional services the dashboard can reach. */
    public record Services(boolean gate, boolean scheduler) {}

    /**
     * The session as the page sees it; never the token. Signed out: only {@code csrf}, the pre-session token the
     * sign-in request must echo.
     */
    public record SessionView(
            boolean signedIn,
            String name,
            String role,
            String team,
            String csrf,
            Abilities may,
            Services services,
            boolean oidc) {}

    @Inject
    SessionStore sessions;

    @Inject
    DashboardConfig config;

    @Inject
    Upstream upstream;

    @Inject
    OidcSignIn oidc;

    @GET
    @Path("/session")
    public Response session(@Context ContainerRequestContext request, @Context UriInfo uri) {
        return SessionFilters.optionalSession(request)
                .map(s -> Response.ok(view(s)))
                .orElseGet(() -> {
                    String csrf = SessionFilters.cookie(request, SessionFilters.CSRF_COOKIE)
                            .orElseGet(SessionStore::randomToken);
                    return Response.ok(new SessionView(false, null, null, null, csrf, null, null, oidc.enabled()))
                            .header(HttpHeaders.SET_COOKIE, cookie(SessionFilters.CSRF_COOKIE, csrf, uri, false));
                })
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    @POST
    @Path("/sign-in")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response signIn(SignInRequest body, @Context ContainerRequestContext request, @Context UriInfo uri) {
        String token = body == null || body.token() == null ? "" : body.token().strip();
        if (token.isEmpty()) {
            return Problem.of(ProblemType.INVALID_REQUEST, "token is required: paste your Loopline API token")
                    .withErrors(java.util.List.of(new Problem.FieldError("token", "is required")))
                    .toResponse();
        }
        // a new session id on every sign-in, and the old session ends, so a planted cookie is worth nothing
        SessionFilters.optionalSession(request).ifPresent(sessions::end);
        SessionStore.SignedIn signedIn;
        try {
            signedIn = sessions.signIn(token);
        } catch (SessionStore.Refused e) {
            return Problem.of(ProblemType.UNAUTHORIZED, e.getMessage()).toResponse();
        } catch (Upstream.Unavailable e) {
            return Problem.of(Response.Status.BAD_GATEWAY, "cannot check the token now: " + e.getMessage())
                    .toResponse();
        }
        return Response.ok(view(signedIn.session()))
                .header(HttpHeaders.SET_COOKIE, cookie(SessionFilters.SESSION_COOKIE, signedIn.id(), uri, false))
                .header(HttpHeaders.SET_COOKIE, cookie(SessionFilters.CSRF_COOKIE, "", uri, true))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    /** Sends the browser to the identity provider (authorization code + PKCE). */
    @GET
    @Path("/oidc/start")
    public Response oidcStart(@Context UriInfo uri) {
        OidcSignIn.Started started;
        try {
            started = oidc.start(uri.getBaseUriBuilder().path(OIDC_CALLBACK).build());
        } catch (OidcSignIn.Failed e) {
            return backToSignIn(e.getMessage(), uri);
        }
        return Response.seeOther(started.authorize())
                .header(HttpHeaders.SET_COOKIE, oidcCookie(started.binding(), uri, false))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    /** Where the identity provider sends the browser back: opens the session, then shows the dashboard. */
    @GET
    @Path("/oidc/callback")
    public Response oidcCallback(
            @QueryParam("code") String code,
            @QueryParam("state") String state,
            @QueryParam("error") String error,
            @QueryParam("error_description") String description,
            @Context ContainerRequestContext request,
            @Context UriInfo uri) {
        if (error != null) {
            String why = description == null || description.isBlank() ? error : error + ": " + description;
            return backToSignIn("the identity provider did not sign you in (" + why + ")", uri);
        }
        String binding = SessionFilters.cookie(request, OIDC_COOKIE).orElse(null);
        SessionStore.SignedIn signedIn;
        try {
            String token = oidc.finish(state, code, binding);
            SessionFilters.optionalSession(request).ifPresent(sessions::end);
            signedIn = sessions.signIn(token);
        } catch (OidcSignIn.Failed | SessionStore.Refused | Upstream.Unavailable e) {
            return backToSignIn(e.getMessage(), uri);
        }
        return Response.seeOther(uri.getBaseUriBuilder().path("/").build())
                .header(HttpHeaders.SET_COOKIE, cookie(SessionFilters.SESSION_COOKIE, signedIn.id(), uri, false))
                .header(HttpHeaders.SET_COOKIE, oidcCookie("", uri, true))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    /** The sign-in page with a message; the fragment never reaches a server or a log. */
    private Response backToSignIn(String message, UriInfo uri) {
        URI page = URI.create(uri.getBaseUriBuilder().path("/").build() + "#sign-in-error="
                + URLEncoder.encode(message, StandardCharsets.UTF_8).replace("+", "%20"));
        return Response.seeOther(page)
                .header(HttpHeaders.SET_COOKIE, oidcCookie("", uri, true))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    /** The flow-binding cookie: only for {@code /auth/oidc/}, Lax (see {@link #OIDC_COOKIE}), for one flow's time. */
    private String oidcCookie(String value, UriInfo uri, boolean expire) {
        return cookie(
                OIDC_COOKIE,
                value,
                uri,
                "/auth/oidc/",
                "Lax",
                expire ? 0L : config.oidc().flowTimeout().toSeconds());
    }

    @POST
    @Path("/sign-out")
    public Response signOut(@Context ContainerRequestContext request, @Context UriInfo uri) {
        sessions.end(SessionFilters.session(request));
        return Response.noContent()
                .header(HttpHeaders.SET_COOKIE, cookie(SessionFilters.SESSION_COOKIE, "", uri, true))
                .build();
    }

    private SessionView view(Session s) {
        return new SessionView(
                true,
                s.name(),
                s.role().wireName(),
                s.team(),
                s.csrf(),
                new Abilities(s.may(Permission.OPERATE), s.may(Permission.APPROVE), s.may(Permission.ADMIN)),
                new Services(
                        upstream.configured(Upstream.Service.GATE), upstream.configured(Upstream.Service.SCHEDULER)),
                oidc.enabled());
    }

    /** HttpOnly, SameSite=Strict, path /, for the browser session; expired when {@code expire}. */
    private String cookie(String name, String value, UriInfo uri, boolean expire) {
        return cookie(name, value, uri, "/", "Strict", expire ? 0L : null);
    }

    /** HttpOnly; Secure when the request came over TLS or configuration says so; {@code maxAge} null: no Max-Age. */
    private String cookie(String name, String value, UriInfo uri, String path, String sameSite, Long maxAge) {
        StringBuilder cookie = new StringBuilder(name)
                .append('=')
                .append(value)
                .append("; Path=")
                .append(path)
                .append("; HttpOnly; SameSite=")
                .append(sameSite);
        if ("https".equalsIgnoreCase(uri.getRequestUri().getScheme())
                || config.session().secureCookie()) {
            cookie.append("; Secure");
        }
        if (maxAge != null) {
            cookie.append("; Max-Age=").append(maxAge);
        }
        return cookie.toString();
    }
}
