package dev.loopline.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "**/*.java, A.java, true",
        "**/*.java, a/b/A.java, true",
        "src/**/*.java, src/A.java, true",
        "src/**/*.java, src/x/y/A.java, true",
        "src/**, src/x/y, true",
        "src/**, src, false",
        "src/*.java, src/x/A.java, false",
        "src/?.java, src/A.java, true",
        "src/?.java, src/AB.java, false",
        "src/?.java, src//.java, false",
        "src/[abc].txt, src/b.txt, true",
        "src/[abc].txt, src/d.txt, false",
        "src/[!abc].txt, src/d.txt, true",
        "src/[a-c].txt, src/c.txt, true",
        "**/*.{yml|yaml}, x.yml, false",
        "'**/*.{yml,yaml}', a/x.yaml, true",
        "apps/web/src/**, apps/web/src/a/b.ts, true",
        "apps/web/src/**, apps/web/srcx/a.ts, false",
        "apps/web/src/**, xapps/web/src/a.ts, false",
        ".env, .env, true",
        ".env, a/.env, false",
        "**/.env, a/b/.env, true",
        "**/.env, .env, true",
        "server/app/**/auth*, server/app/auth.py, true",
        "server/app/**/auth*, server/app/x/y/authz.py, true",
        "a.b, aXb, false",
        "a+b(c), a+b(c), true",
        "/src/*.c, src/x.c, true",
    })
    void matchesAnchoredGlobs(String glob, String path, boolean expected) {
        assertThat(Glob.compile(glob, false).matches(path)).isEqualTo(expected);
    }

    @Test
    void caseInsensitivityIsOptIn() {
        assertThat(Glob.compile("src/**", false).matches("SRC/A.java")).isFalse();
        assertThat(Glob.compile("src/**", true).matches("SRC/A.java")).isTrue();
    }

    @Test
    void rejectsInvalidGlobs() {
        assertThatThrownBy(() -> Glob.compile("", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Glob.compile("[z-a]", false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 300)
    void literalPathsMatchThemselvesOnly(
            @ForAll @AlphaChars @StringLength(min = 1, max = 8) String a,
            @ForAll @AlphaChars @StringLength(min = 1, max = 8) String b) {
        String path = a + "/" + b + ".txt";
        assertThat(Glob.compile(path, false).matches(path)).isTrue();
        assertThat(Glob.compile(path, false).matches("x" + path)).isFalse();
    }

    @Property(tries = 300)
    void doubleStarCrossesDirectoriesButStarDoesNot(
            @ForAll @AlphaChars @StringLength(min = 1, max = 6) String d1,
            @ForAll @AlphaChars @StringLength(min = 1, max = 6) String d2,
            @ForAll @AlphaChars @StringLength(min = 1, max = 6) String name) {
        String nested = "root/" + d1 + "/" + d2 + "/" + name + ".md";
        assertThat(Glob.compile("root/**/*.md", false).matches(nested)).isTrue();
        assertThat(Glob.compile("root/**/*.md", false).matches("root/" + name + ".md"))
                .isTrue();
        assertThat(Glob.compile("root/*/*.md", false).matches(nested)).isFalse();
        assertThat(Glob.compile("root/*", false).matches(nested)).isFalse();
        assertThat(Glob.compile("root/**", false).matches(nested)).isTrue();
    }

    @Property(tries = 300)
    void questionMarkMatchesExactlyOneNonSlashChar(@ForAll @AlphaChars @StringLength(min = 0, max = 5) String s) {
        boolean oneChar = s.length() == 1;
        assertThat(Glob.compile("a/?", false).matches("a/" + s)).isEqualTo(oneChar);
    }
}
