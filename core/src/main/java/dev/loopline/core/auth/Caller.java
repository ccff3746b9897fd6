package dev.loopline.core.auth;

/**
 * Who is calling: the name of the token used (never the token) or, for an OIDC JWT, {@code oidc:<preferred_username
 * or sub>}; its role and, for an approver, the one team it may approve for ({@code null} = every team; never for an
 * OIDC caller, whose approver groups always name a team).
 *
 * @param bootstrap true for the configured service token ({@code loopline.auth.token}), which is shared and
 *     therefore cannot tell who is calling
 */
public record Caller(String name, Role role, String team, boolean bootstrap) {

    public boolean may(Permission permission) {
        return role.permits(permission);
    }

    /** Whether this caller may approve changes of {@code forTeam}. */
    public boolean mayApprove(String forTeam) {
        return may(Permission.APPROVE) && (role == Role.ADMIN || team == null || team.equals(forTeam));
    }
}
