package dev.loopline.dashboard.session;

import dev.loopline.core.auth.Permission;
import dev.loopline.core.auth.Role;
import java.time.Instant;

/**
 * One signed-in browser: the user's own API token (kept here, never sent to the browser), who state-service says the
 * token belongs to, and the session's CSRF token. Mutable times only; who it is never changes.
 */
public final class Session {

    private final String key;
    private final String token;
    private final String name;
    private final Role role;
    private final String team;
    private final String csrf;
    private final Instant createdAt;
    private volatile Instant lastSeen;
    private volatile Instant verifiedAt;

    Session(String key, String token, String name, Role role, String team, String csrf, Instant now) {
        this.key = key;
        this.token = token;
        this.name = name;
        this.role = role;
        this.team = team;
        this.csrf = csrf;
        this.createdAt = now;
        this.lastSeen = now;
        this.verifiedAt = now;
    }

    /** The SHA-256 of the session id: the store's key (the id itself is only in the browser's cookie). */
    String key() {
        return key;
    }

    /** The user's API token, for the {@code Authorization} header of calls made on the user's behalf. */
    public String token() {
        return token;
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    /** The one team an approver may approve for, or null. */
    public String team() {
        return team;
    }

    public String csrf() {
        return csrf;
    }

    public boolean may(Permission permission) {
        return role.permits(permission);
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant lastSeen() {
        return lastSeen;
    }

    void seen(Instant now) {
        lastSeen = now;
    }

    Instant verifiedAt() {
        return verifiedAt;
    }

    void verified(Instant now) {
        verifiedAt = now;
    }
}
