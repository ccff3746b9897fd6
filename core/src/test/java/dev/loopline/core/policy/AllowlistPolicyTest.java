package dev.loopline.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.DiffParseException;
import dev.loopline.core.diff.DiffParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllowlistPolicyTest {

    /** The loop-engineering gate.yaml, expressed through the builder. */
    private static final AllowlistPolicy GATE = AllowlistPolicy.builder()
            .deny(
                    ".env",
                    ".env.*",
                    "**/secrets/**",
                    "**/credentials/**",
                    "**/*_key*",
                    "**/*_secret*",
                    ".github/workflows/release.yml",
                    "server/alembic/**",
                    "deploy/**",
                    "server/app/**/auth*")
            .maxFiles(12)
            .allow("apps/web/src/**", "apps/web/test/**", "server/app/**", "server/tests/**")
            .build();

    private static Diff modify(String path, int lines) throws DiffParseException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            b.append("+x").append(i).append('\n');
        }
        return DiffParser.parse("diff --git a/" + path + " b/" + path + "\n--- a/" + path + "\n+++ b/" + path
                + "\n@@ -1,0 +1," + lines + " @@\n" + b);
    }

    private static Diff diff(String text) throws DiffParseException {
        return DiffParser.parse(text);
    }

    @Test
    void allowsASmallChangeInsideTheAllowlist() throws Exception {
        AllowlistDecision d = GATE.evaluate(modify("apps/web/src/app.ts", 3));
        assertThat(d.allowed()).isTrue();
        assertThat(d.filesChanged()).isEqualTo(1);
        assertThat(d.linesChanged()).isEqualTo(3);
        assertThat(d.reasons()).isEmpty();
    }

    @Test
    void emptyDiffIsNeverAllowed() throws Exception {
        assertThat(GATE.evaluate(diff(""))).isEqualTo(new AllowlistDecision(false, 0, 0, List.of("empty diff")));
    }

    @Test
    void rejectsPathsOutsideTheAllowlistNamingThePath() throws Exception {
        AllowlistDecision d = GATE.evaluate(modify("apps/cli/src/main.ts", 1));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reasons()).containsExactly("not allowlisted: apps/cli/src/main.ts");
    }

    @Test
    void policyDenyGlobWinsOverAllow() throws Exception {
        AllowlistDecision d = GATE.evaluate(modify("server/app/users/auth_tokens.py", 1));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reasons()).anySatisfy(r -> assertThat(r).contains("server/app/**/auth*"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "server/app/payments/charge.py",
                "server/app/billing.py",
                "server/app/migrations/0001_init.py",
                "server/app/.env",
                "server/app/config/prod.env",
                "server/app/Dockerfile",
                "server/app/infra/main.tf",
                "server/app/k8s/deploy.yaml",
                "server/app/OAuth.py",
                "server/app/SECRETS/x.txt",
                "server/app/.git/hooks/pre-commit",
                "server/app/gate.yaml"
            })
    void defaultDenyAppliesEvenWhenThePolicyListsNoDenyGlobs(String path) throws Exception {
        AllowlistPolicy open = AllowlistPolicy.builder().allow("**").build();
        AllowlistDecision d = open.evaluate(modify(path, 1));
        assertThat(d.allowed()).as(path).isFalse();
        assertThat(d.reasons())
                .anySatisfy(r -> assertThat(r).startsWith("denied: " + path + " matches default deny group"));
    }

    @Test
    void ciWorkflowsAreDeniedByDefault() throws Exception {
        AllowlistPolicy open = new AllowlistPolicy(List.of("**"), List.of(), 0, 0, false);
        assertThat(open.evaluate(modify(".github/workflows/ci.yml", 1)).allowed())
                .isFalse();
        assertThat(open.evaluate(modify(".gitlab-ci.yml", 1)).allowed()).isFalse();
        assertThat(open.evaluate(modify("Jenkinsfile", 1)).allowed()).isFalse();
        assertThat(open.evaluate(modify("src/circle/Circle.java", 1)).allowed()).isTrue();
    }

    @Test
    void defaultGroupIsRemovedOnlyByExplicitName() throws Exception {
        AllowlistPolicy keep = AllowlistPolicy.builder().allow("**").build();
        AllowlistPolicy drop = AllowlistPolicy.builder()
                .allow("**")
                .removeDefaultDeny("migrations")
                .build();
        assertThat(keep.evaluate(modify("db/migrations/V2.sql", 1)).allowed()).isFalse();
        assertThat(drop.evaluate(modify("db/migrations/V2.sql", 1)).allowed()).isTrue();
        assertThat(drop.evaluate(modify("deploy/x.yaml", 1)).allowed()).isFalse();
        assertThat(drop.defaultDeny())
                .doesNotContain(DefaultDenyGroup.MIGRATIONS)
                .contains(DefaultDenyGroup.CI);
        assertThatThrownBy(() -> AllowlistPolicy.builder().removeDefaultDeny("everything"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void renameIsCheckedOnBothPaths() throws Exception {
        Diff rename = diff("diff --git a/deploy/prod.yaml b/apps/web/src/prod.yaml\nsimilarity index 100%\n"
                + "rename from deploy/prod.yaml\nrename to apps/web/src/prod.yaml\n");
        AllowlistDecision d = GATE.evaluate(rename);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reasons()).anySatisfy(r -> assertThat(r).startsWith("denied: deploy/prod.yaml"));
        Diff outward = diff("diff --git a/apps/web/src/a.ts b/tools/a.ts\nsimilarity index 100%\n"
                + "rename from apps/web/src/a.ts\nrename to tools/a.ts\n");
        assertThat(GATE.evaluate(outward).reasons()).containsExactly("not allowlisted: tools/a.ts");
    }

    @Test
    void deletionOfADeniedFileIsDenied() throws Exception {
        Diff delete =
                diff("diff --git a/server/app/secrets/k.txt b/server/app/secrets/k.txt\ndeleted file mode 100644\n"
                        + "--- a/server/app/secrets/k.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-k\n");
        AllowlistDecision d = GATE.evaluate(delete);
        assertThat(d.allowed()).isFalse();
        assertThat(d.linesChanged()).isEqualTo(1);
    }

    @Test
    void binaryAndExecutableChangesEscalateUnlessConfiguredOff() throws Exception {
        Diff bin = diff("diff --git a/apps/web/src/logo.png b/apps/web/src/logo.png\nindex 1..2 100644\n"
                + "Binary files a/apps/web/src/logo.png and b/apps/web/src/logo.png differ\n");
        Diff exec = diff("diff --git a/apps/web/src/run.sh b/apps/web/src/run.sh\nold mode 100644\nnew mode 100755\n");
        assertThat(GATE.evaluate(bin).reasons()).containsExactly("binary change: apps/web/src/logo.png");
        assertThat(GATE.evaluate(exec).reasons()).singleElement().asString().startsWith("made executable");
        AllowlistPolicy lenient = GATE.toBuilder()
                .escalateBinary(false)
                .escalateModeChanges(false)
                .build();
        assertThat(lenient.evaluate(bin).allowed()).isTrue();
        assertThat(lenient.evaluate(exec).allowed()).isTrue();
    }

    @Test
    void capsOnFilesAndLines() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 13; i++) {
            String p = "apps/web/src/f" + i + ".ts";
            many.append("diff --git a/")
                    .append(p)
                    .append(" b/")
                    .append(p)
                    .append("\n--- a/")
                    .append(p)
                    .append("\n+++ b/")
                    .append(p)
                    .append("\n@@ -1 +1 @@\n-a\n+b\n");
        }
        AllowlistDecision d = GATE.evaluate(diff(many.toString()));
        assertThat(d.filesChanged()).isEqualTo(13);
        assertThat(d.linesChanged()).isEqualTo(26);
        assertThat(d.reasons()).containsExactly("too many files: 13 > maxFiles 12");
        AllowlistPolicy lineCap = GATE.toBuilder().maxLines(10).build();
        assertThat(lineCap.evaluate(modify("apps/web/src/a.ts", 11)).reasons())
                .containsExactly("too many lines: 11 > maxLines 10");
    }

    @Test
    void reasonsAreOrderedDenyThenCapsThenAllow() throws Exception {
        AllowlistPolicy p =
                AllowlistPolicy.builder().allow("src/**").maxLines(1).build();
        String text = "diff --git a/.env b/.env\n--- a/.env\n+++ b/.env\n@@ -1 +1 @@\n-a\n+b\n";
        assertThat(p.evaluate(diff(text)).reasons())
                .containsExactly(
                        "denied: .env matches default deny group 'env' '**/.env'",
                        "too many lines: 2 > maxLines 1",
                        "not allowlisted: .env");
    }

    @Test
    void caseInsensitiveMatchingIsConfigurable() throws Exception {
        AllowlistPolicy sensitive =
                AllowlistPolicy.builder().allow("src/**").caseInsensitive(false).build();
        AllowlistPolicy insensitive =
                AllowlistPolicy.builder().allow("src/**").caseInsensitive(true).build();
        assertThat(sensitive.evaluate(modify("SRC/a.ts", 1)).allowed()).isFalse();
        assertThat(insensitive.evaluate(modify("SRC/a.ts", 1)).allowed()).isTrue();
    }
}
