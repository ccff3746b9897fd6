package dev.loopline.state.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.auth.Role;
import dev.loopline.state.auth.OidcRoleMapping.Grant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OidcRoleMappingTest {

    private static final OidcRoleMapping DEFAULTS =
            new OidcRoleMapping("loopline-admin", "loopline-operator", "loopline-viewer", "loopline-approver:");

    @Test
    void arrayOfGroupsGrantsTheHighestRole() {
        assertThat(DEFAULTS.grant(List.of("staff", "loopline-viewer", "loopline-operator")))
                .contains(new Grant(Role.OPERATOR, null));
        assertThat(DEFAULTS.grant(List.of("loopline-admin", "loopline-viewer", "loopline-approver:payments")))
                .contains(new Grant(Role.ADMIN, null));
        assertThat(DEFAULTS.grant(List.of("loopline-viewer"))).contains(new Grant(Role.VIEWER, null));
    }

    @Test
    void spaceSeparatedStringIsSplitIntoGroups() {
        assertThat(DEFAULTS.grant("openid  loopline-viewer loopline-admin ")).contains(new Grant(Role.ADMIN, null));
        assertThat(DEFAULTS.grant("loopline-operator")).contains(new Grant(Role.OPERATOR, null));
    }

    @Test
    void approverGroupGivesItsTeamAndOutranksOperator() {
        assertThat(DEFAULTS.grant(List.of("loopline-operator", "loopline-approver:payments")))
                .contains(new Grant(Role.APPROVER, "payments"));
        // several approver teams: one team per caller, the alphabetically first, whatever the claim's order
        assertThat(DEFAULTS.grant(List.of("loopline-approver:search", "loopline-approver:billing")))
                .contains(new Grant(Role.APPROVER, "billing"));
    }

    @Test
    void approverWithoutAValidTeamIsIgnoredRatherThanGrantingEveryTeam() {
        assertThat(DEFAULTS.grant(List.of("loopline-approver:"))).isEmpty();
        assertThat(DEFAULTS.grant(List.of("loopline-approver"))).isEmpty();
        assertThat(DEFAULTS.grant(List.of("loopline-approver:Payments", "loopline-approver:9lives")))
                .isEmpty();
        assertThat(DEFAULTS.grant(List.of("loopline-approver:", "loopline-viewer")))
                .contains(new Grant(Role.VIEWER, null));
    }

    @Test
    void unknownValuesAndShapesGrantNothing() {
        assertThat(DEFAULTS.grant(List.of("admin", "Loopline-Admin", "loopline-admins", "")))
                .isEmpty();
        assertThat(DEFAULTS.grant("")).isEmpty();
        assertThat(DEFAULTS.grant(null)).isEmpty();
        assertThat(DEFAULTS.grant(42L)).isEmpty();
        assertThat(DEFAULTS.grant(Map.of("loopline-admin", true))).isEmpty();
        assertThat(DEFAULTS.grant(Arrays.asList(null, 7L, List.of("loopline-admin"))))
                .isEmpty();
    }

    @Test
    void groupNamesAreConfigurable() {
        OidcRoleMapping keycloakPaths = new OidcRoleMapping("/ops/admins", "/ops/oncall", "/staff", "/approvers/");
        assertThat(keycloakPaths.grant(List.of("/staff", "/ops/oncall"))).contains(new Grant(Role.OPERATOR, null));
        assertThat(keycloakPaths.grant(List.of("/approvers/payments"))).contains(new Grant(Role.APPROVER, "payments"));
        assertThat(keycloakPaths.grant(List.of("loopline-admin"))).isEmpty();
    }
}
