package dev.loopline.dashboard.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the services are, and how long a sign-in lasts. The dashboard holds no credential of its own: every call it
 * makes upstream carries the signed-in user's token.
 */
@ConfigMapping(prefix = "loopline.dashboard")
public interface DashboardConfig {

    /** state-service: who a token is ({@code /api/v1/auth/me}), ticks, loops, budget, kill switch, live events. */
    URI stateUrl();

    /** gate-service: the approvals queue; without it the dashboard shows no approvals. */
    Optional<URI> gateUrl();

    /** scheduler-service: spec files that failed to load; without it the loops view lists none. */
    Optional<URI> schedulerUrl();

    /** How long one upstream call may take. */
    @WithDefault("5s")
    Duration upstreamTimeout();

    Session session();

    Stream stream();

    /** Sign-in at the team's identity provider (authorization code + PKCE); unset issuer = API tokens only. */
    Oidc oidc();

    interface Oidc {
        /** The provider's issuer URL; its {@code /.well-known/openid-configuration} names the endpoints. */
        Optional<URI> issuer();

        /** This dashboard's client id at the provider. */
        Optional<String> clientId();

        /** Only for a confidential client (sent as HTTP Basic); a public client relies on PKCE alone. */
        Optional<String> clientSecret();

        @WithDefault("openid profile email")
        String scopes();

        /**
         * The callback registered at the provider; unset = {@code /auth/oidc/callback} on the address the browser
         * used (set it when a proxy in front rewrites the host).
         */
        Optional<URI> redirectUri();

        /** A sign-in not finished within this is refused and must start again. */
        @WithDefault("5m")
        Duration flowTimeout();
    }

    interface Session {
        /** A session unused this long is forgotten. */
        @WithDefault("8h")
        Duration idleTimeout();

        /** A session is forgotten this long after sign-in, used or not. */
        @WithDefault("12h")
        Duration maxAge();

        /**
         * How often a session's token is asked about again ({@code /api/v1/auth/me}) while it only listens to the
         * live stream, so a revoked token stops receiving within this.
         */
        @WithDefault("60s")
        Duration revalidateInterval();

        /** At most this many live sessions; a sign-in beyond it drops the least recently used. */
        @WithDefault("10000")
        int maxSessions();

        /**
         * Mark the session cookie Secure even when the request reached the dashboard over plain HTTP (a TLS proxy
         * in front that does not forward the scheme). Requests that arrive over TLS always get Secure.
         */
        @WithDefault("false")
        boolean secureCookie();
    }

    interface Stream {
        /** How many recent live events the dashboard keeps so a reconnecting browser resumes (Last-Event-ID). */
        @WithDefault("2000")
        int replayBuffer();

        /**
         * How long a live event may wait for the next ones to share its write to a browser. During a burst each open
         * dashboard then costs one write per interval instead of one per event; a lone event reaches the page this
         * much later at most. Zero writes every event on its own.
         */
        @WithDefault("50ms")
        Duration flushInterval();

        /** How long to wait before reconnecting to state-service's stream after it broke. */
        @WithDefault("1s")
        Duration reconnectDelay();
    }
}
