package dev.loopline.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;

class GlobPropertiesTest {

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
