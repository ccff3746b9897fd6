package dev.loopline.dashboard.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.dashboard.config.DashboardConfig;
import dev.loopline.dashboard.rest.SessionFilters;
import dev.loopline.dashboard.session.Session;
import dev.loopline.dashboard.session.SessionStore;
import dev.loopline.support.rest.Problem;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * {@code GET /api/v1/stream}: live run events for the page, as server-sent events: {@code event: tick}, {@code id} =
 * state-service's sequence number, {@code data} = {@code {tick, event}} as state-service streams it; {@code event:
 * reset} when the browser missed more than the dashboard kept (it reloads its list). Resumable with {@code
 * Last-Event-ID}, which browsers send on their own when they reconnect.
 *
 * <p>A Vert.x route rather than a JAX-RS resource so that the bytes of an event, encoded once, are written as they are
 * to every browser ({@link BrowserStream}); a JAX-RS sink encodes every event again for every browser. It answers
 * like the API's filters ({@link SessionFilters}): 401 without a live session, 400 for a {@code Last-Event-ID} that is
 * not an event id, as problem documents.
 */
@ApplicationScoped
public class StreamRoute {

    public static final String PATH = "/api/v1/stream";

    @Inject
    LiveTicks live;

    @Inject
    SessionStore sessions;

    @Inject
    ObjectMapper json;

    @Inject
    DashboardConfig config;

    void install(@Observes Router router) {
        router.get(PATH).handler(this::subscribe);
    }

    void subscribe(RoutingContext request) {
        Cookie cookie = request.request().getCookie(SessionFilters.SESSION_COOKIE);
        Optional<Session> session = cookie == null ? Optional.empty() : sessions.find(cookie.getValue());
        if (session.isEmpty()) {
            problem(request, SessionFilters.signInFirst());
            return;
        }
        Long after;
        try {
            after = lastEventId(request.request().getHeader("Last-Event-ID"));
        } catch (IllegalArgumentException e) {
            problem(request, Problem.of(Response.Status.BAD_REQUEST, e.getMessage()));
            return;
        }
        HttpServerResponse response = request.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        BrowserStream browser = new BrowserStream(
                session.get(),
                response,
                request.vertx().getOrCreateContext(),
                config.stream().flushInterval());
        response.closeHandler(v -> {
            browser.gone();
            live.unsubscribe(browser);
        });
        // a first comment commits the response, so the browser knows it is subscribed
        response.write(":subscribed\n\n");
        live.subscribe(browser, after);
    }

    static Long lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(header.strip());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("Last-Event-ID must be the id of an event of this stream");
    }

    private void problem(RoutingContext request, Problem problem) {
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document is plain data", e);
        }
        request.response()
                .setStatusCode(problem.status())
                .putHeader("Content-Type", "application/problem+json")
                .end(body);
    }
}
