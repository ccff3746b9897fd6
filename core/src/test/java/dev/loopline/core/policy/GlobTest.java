package dev.loopline.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
