package dev.loopline.core.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What a token may do. Every role may read; admin may do everything. */
public enum Role {
    VIEWER(Set.of(Permission.READ)),
    OPERATOR(Set.of(Permission.READ, Permission.OPERATE)),
    APPROVER(Set.of(Permission.READ, Permission.APPROVE)),
    ADMIN(Set.of(Permission.READ, Permission.OPERATE, Permission.APPROVE, Permission.ADMIN));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = permissions;
    }

    public boolean permits(Permission permission) {
        return permissions.contains(permission);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
    }
}
