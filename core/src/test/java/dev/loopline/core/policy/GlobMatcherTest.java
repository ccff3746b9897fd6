package dev.loopline.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobMatcherTest {

    @ParameterizedTest(name = "{0} ~ {1} (ci={2}) -> {3}")
    @CsvSource({
        "**/auth/**, auth/x.py, true, true",
        "**/auth/**, a/b/Auth/x.py, true, true",
        "**/auth/**, a/b/Auth/x.py, false, false",
        "**/auth/**, a/b/oauth/x.py, true, false",
        "**/auth/**, a/auth, true, false",
        "**/*auth.*, server/OAuth.py, true, true",
        "**/*auth.*, server/auth/x, true, false",
        "**/auth_*, a/auth_tokens.py, true, true",
        "**/auth_*, a/auth_/b, true, false",
        "**/*payment*/**, a/payments/b.py, true, true",
        "**/*payment*/**, a/payments, true, false",
        "**/*.pem, key.PEM, true, true",
        "**/*.pem, a/b.pem/c, true, false",
        "**/id_rsa*, home/.ssh/id_rsa.pub, true, true",
        "**/.docker/config.json, .docker/config.json, true, true",
        "**/.docker/config.json, x/.docker/config.json, true, true",
        "**/.docker/config.json, x.docker/config.json, true, false",
        "**/V[0-9]*__*.sql, db/v12__init.SQL, true, true",
        "**/V[0-9]*__*.sql, db/Vx__init.sql, true, false",
        "**/V[0-9]*__*.sql, db/V1__a/b.sql, true, false",
        ".github/workflows/**, .github/workflows/ci.yml, true, true",
        ".github/workflows/**, .github/workflows, true, false",
        "azure-pipelines*.yml, azure-pipelines-prod.yml, true, true",
        "azure-pipelines*.yml, x/azure-pipelines.yml, true, false",
        "**/Jenkinsfile*, ci/jenkinsfile.groovy, true, true",
        "**/.env.*, a/.env.local, true, true",
        "**/.env.*, a/.env, true, false",
        "src/**/*.java, src/A.java, false, true",
        "src/**/*.java, src/x/y/A.java, false, true",
        "src/**/*.java, srcA.java, false, false",
        "a/**b, a/xb, false, true",
        "a/**b, a/x/yb, false, true",
        "a**, a/b/c, false, true",
        "***/x, ab/x, false, true",
        "***/x, a/b/x, false, true",
        "a[!b]c, a/c, false, true",
        "[A-c]x, _x, false, true",
        "[a-c]x, Bx, true, true",
        "[a-c]x, Bx, false, false",
        "[, [, false, true",
        "a?c, a/c, false, false",
        "'a,b}', 'a,b}', false, true",
    })
    void agreesWithTheRegexOnTypicalGlobs(String glob, String path, boolean ci, boolean expected) {
        assertThat(RegexGlobOracle.matches(glob, ci, path)).isEqualTo(expected);
        assertThat(Glob.compile(glob, ci).matches(path)).isEqualTo(expected);
    }

    @Test
    void everyBuiltInDenyGlobUsesTheFastMatcher() {
        List<String> slow = DefaultDenyGroup.allGlobs().stream()
                .filter(g -> !Glob.compile(g, true).hasFastMatcher())
                .toList();
        assertThat(slow).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'{a,b}/x'", "a\\*b", "[a-]x", "[-a]x", "[/]x", "é/**"})
    void leavesGlobsOutsideItsSubsetToTheRegex(String glob) {
        assertThat(Glob.compile(glob, false).hasFastMatcher()).isFalse();
    }

    @Test
    void longAdversarialPathsDoNotBacktrack() {
        String glob = "**/*a*a*a*a*a*a*a*a*a*a*a*a*b";
        String path = "a/".repeat(200) + "a".repeat(5_000);
        long start = System.nanoTime();
        boolean matched = Glob.compile(glob, true).matches(path);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(matched).isFalse();
        assertThat(millis).isLessThan(2_000);
    }

    @Test
    void nonAsciiPathsFollowTheRegexCaseFolding() {
        // U+212A KELVIN SIGN folds to 'k' under Unicode case folding, as the regex has always treated it.
        Glob glob = Glob.compile("**/*.key", true);
        assertThat(glob.matches("a/b.\u212Aey")).isEqualTo(RegexGlobOracle.matches("**/*.key", true, "a/b.\u212Aey"));
        assertThat(glob.matches("a/b.\u212Aey")).isTrue();
    }
}
