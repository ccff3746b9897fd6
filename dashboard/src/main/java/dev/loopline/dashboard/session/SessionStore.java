package dev.loopline.dashboard.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.core.auth.Role;
import dev.loopline.dashboard.client.Upstream;
import dev.loopline.dashboard.config.DashboardConfig;
import dev.loopline.schemas.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side sessions, in memory: a random 256-bit session id lives only in the browser's HttpOnly cookie; the store
 * keys sessions by its SHA-256, and holds the user's token, who it is, and a CSRF token. A restart signs everyone out
 * (they sign in again with their token); several dashboard replicas need sticky sessions.
 */
@ApplicationScoped
public class SessionStore {

    /** state-service refused the token (unknown, expired, revoked): say so to the user. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** A new session and the id to put in the browser's cookie. */
    public record SignedIn(String id, Session session) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Upstream upstream;

    @Inject
    DashboardConfig config;

    private final Clock clock = Clock.systemUTC();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    /**
     * Asks state-service who {@code token} is and opens a session for it.
     *
     * @throws Refused when state-service does not know the token
     * @throws Upstream.Unavailable when state-service cannot answer
     */
    public SignedIn signIn(String token) {
        Who who = whoIs(token)
                .orElseThrow(() -> new Refused(
                        "state-service does not accept this token (unknown, expired or revoked): use a token from"
                                + " 'loopline token create' or the one './loopline up' printed"));
        Instant now = clock.instant();
        sweep(now);
        String id = randomToken();
        Session session = new Session(sha256(id), token, who.name(), who.role(), who.team(), randomToken(), now);
        sessions.put(session.key(), session);
        return new SignedIn(id, session);
    }

    /** The live session of cookie value {@code id}; marks it used. */
    public Optional<Session> find(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        Session session = sessions.get(sha256(id));
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            sessions.remove(session.key());
            return Optional.empty();
        }
        session.seen(now);
        return Optional.of(session);
    }

    /** Ends the session: sign-out, or state-service no longer accepts its token. */
    public void end(Session session) {
        sessions.remove(session.key());
    }

    public boolean live(Session session) {
        return sessions.containsKey(session.key()) && !expired(session, clock.instant());
    }

    /**
     * Whether the session's token still works, asking state-service again when it was last asked more than the
     * revalidate interval ago. A refused token ends the session; an unreachable state-service keeps it (the stream
     * that needs the answer is down too then).
     */
    public boolean revalidate(Session session) {
        Instant now = clock.instant();
        if (!live(session)) {
            return false;
        }
        if (session.verifiedAt().plus(config.session().revalidateInterval()).isAfter(now)) {
            return true;
        }
        try {
            if (whoIs(session.token()).isEmpty()) {
                end(session);
                return false;
            }
        } catch (Upstream.Unavailable e) {
            return true;
        }
        session.verified(now);
        return true;
    }

    public int size() {
        return sessions.size();
    }

    private boolean expired(Session session, Instant now) {
        return session.lastSeen().plus(config.session().idleTimeout()).isBefore(now)
                || session.createdAt().plus(config.session().maxAge()).isBefore(now);
    }

    private void sweep(Instant now) {
        sessions.values().removeIf(s -> expired(s, now));
        int max = config.session().maxSessions();
        while (sessions.size() >= max) {
            sessions.values().stream()
                    .min(Comparator.comparing(Session::lastSeen))
                    .ifPresent(oldest -> sessions.remove(oldest.key()));
        }
    }

    private record Who(String name, Role role, String team) {}

    private Optional<Who> whoIs(String token) {
        Upstream.Answer answer = upstream.get(Upstream.Service.STATE, "/api/v1/auth/me", token);
        if (answer.status() == 401 || answer.status() == 403) {
            return Optional.empty();
        }
        if (answer.status() != 200) {
            throw new Upstream.Unavailable("state-service answered " + answer.status() + " to who a token is");
        }
        try {
            JsonNode me = Json.mapper().readTree(answer.body());
            Role role = Role.fromWireName(me.path("role").asText(""))
                    .orElseThrow(() -> new Upstream.Unavailable("state-service named an unknown role"));
            String name = me.path("name").asText("");
            if (name.isBlank()) {
                throw new Upstream.Unavailable("state-service named no caller");
            }
            return Optional.of(
                    new Who(name, role, me.hasNonNull("team") ? me.get("team").asText() : null));
        } catch (IOException e) {
            throw new Upstream.Unavailable("state-service's answer to who a token is is not JSON");
        }
    }

    /** 256 random bits, base64url: session ids, CSRF tokens and the values of a sign-in flow. */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
