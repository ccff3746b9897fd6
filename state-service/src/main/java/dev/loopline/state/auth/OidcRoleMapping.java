package dev.loopline.state.auth;

import dev.loopline.core.auth.Role;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Maps the values of an OIDC token's groups/roles claim to a Loopline role. The claim may be an array or a
 * space-separated string; values that name no Loopline group are ignored. The highest role wins (viewer &lt; operator
 * &lt; approver &lt; admin, the order of {@link Role}); an approver group names its team after the prefix
 * ({@code loopline-approver:payments}), and one without a valid team id is ignored, so an approver is never granted
 * every team. A caller carries one team, like an issued token: a subject in several approver groups is approver of
 * the alphabetically first team.
 */
public record OidcRoleMapping(String adminGroup, String operatorGroup, String viewerGroup, String approverGroupPrefix) {

    /** What a token's groups grant: a role and, for an approver, its team. */
    public record Grant(Role role, String team) {}

    private static final int MAX_TEAM_LENGTH = 63;

    /** The role the claim's values grant, empty when none of them is a Loopline group. */
    public Optional<Grant> grant(Object claimValue) {
        Role best = null;
        TreeSet<String> approverTeams = new TreeSet<>();
        for (String value : values(claimValue)) {
            Role role = null;
            if (value.equals(adminGroup)) {
                role = Role.ADMIN;
            } else if (value.equals(operatorGroup)) {
                role = Role.OPERATOR;
            } else if (value.equals(viewerGroup)) {
                role = Role.VIEWER;
            } else if (value.startsWith(approverGroupPrefix)) {
                String team = value.substring(approverGroupPrefix.length());
                if (isTeamId(team)) {
                    approverTeams.add(team);
                    role = Role.APPROVER;
                }
            }
            if (role != null && (best == null || role.ordinal() > best.ordinal())) {
                best = role;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(new Grant(best, best == Role.APPROVER ? approverTeams.first() : null));
    }

    /** The groups this mapping knows, for messages. */
    public String describe() {
        return viewerGroup + ", " + operatorGroup + ", " + adminGroup + " or " + approverGroupPrefix + "<team>";
    }

    /** The claim's values: the strings of an array, or the words of a space-separated string. */
    static List<String> values(Object claimValue) {
        List<String> values = new ArrayList<>();
        if (claimValue instanceof String s) {
            addWords(s, values);
        } else if (claimValue instanceof Collection<?> c) {
            for (Object element : c) {
                if (element instanceof String s && !s.isEmpty()) {
                    values.add(s);
                }
            }
        }
        return values;
    }

    private static void addWords(String s, List<String> into) {
        int start = -1;
        for (int i = 0; i <= s.length(); i++) {
            boolean space = i == s.length() || s.charAt(i) == ' ';
            if (space && start >= 0) {
                into.add(s.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
    }

    /** A team id as the API accepts it: {@code [a-z][a-z0-9-]{0,62}}, checked without a regex (per request). */
    static boolean isTeamId(String s) {
        if (s.isEmpty() || s.length() > MAX_TEAM_LENGTH || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
