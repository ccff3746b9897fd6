package dev.loopline.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rules of the verifier against a scripted lookup (the git-backed behaviour is tested in .git). */
class ShaVerifierTest {

    private static final String COMMIT = "c19104803886a8693466784039a361762875735b";

    /** Answers as git would for one commit; the re-derivation can be made to disagree. */
    private static final class Scripted implements GitObjectLookup {
        int lookups;
        Set<String> resolved = new LinkedHashSet<>(List.of(COMMIT));

        @Override
        public List<ObjectInfo> lookup(List<String> names) {
            lookups++;
            List<ObjectInfo> out = new ArrayList<>();
            for (String n : names) {
                out.add(COMMIT.startsWith(n) ? ObjectInfo.found(n, COMMIT, "commit") : ObjectInfo.missing(n));
            }
            return out;
        }

        @Override
        public Set<String> resolveCommits(List<String> names) {
            return resolved;
        }

        @Override
        public void close() {}
    }

    @Test
    void wellFormedClaimsAreFourToFortyOrSixtyFourHexDigits() {
        assertThat(ShaVerifier.isWellFormed("abcd")).isTrue();
        assertThat(ShaVerifier.isWellFormed("ABCDEF0123")).isTrue();
        assertThat(ShaVerifier.isWellFormed(COMMIT)).isTrue();
        assertThat(ShaVerifier.isWellFormed("a".repeat(64))).isTrue();
        assertThat(ShaVerifier.isWellFormed("abc")).isFalse();
        assertThat(ShaVerifier.isWellFormed("a".repeat(41))).isFalse();
        assertThat(ShaVerifier.isWellFormed("HEAD")).isFalse();
        assertThat(ShaVerifier.isWellFormed(null)).isFalse();
    }

    @Test
    void oneLookupPerBatch() {
        Scripted git = new Scripted();
        List<GroundedResult> r = new ShaVerifier(git).verifyGrounded(List.of(COMMIT, "c1910480", "deadbeef", "HEAD"));
        assertThat(git.lookups).isEqualTo(1);
        assertThat(r)
                .extracting(GroundedResult::verdict)
                .containsExactly(
                        GroundedVerdict.GROUNDED,
                        GroundedVerdict.GROUNDED,
                        GroundedVerdict.FABRICATED,
                        GroundedVerdict.FABRICATED);
        assertThat(ShaVerifier.allGrounded(r)).isFalse();
        assertThat(ShaVerifier.allGrounded(List.of())).isFalse();
    }

    @Test
    void disagreementBetweenDerivationsIsAGap() {
        Scripted git = new Scripted();
        git.resolved = Set.of();
        assertThat(new ShaVerifier(git).verifyIsomorphic(List.of(COMMIT)).get(0).verdict())
                .isEqualTo(IsoVerdict.GAP);
        git.resolved = Set.of("deadbeef00000000000000000000000000000000");
        assertThat(new ShaVerifier(git)
                        .verifyIsomorphic(List.of("deadbeef"))
                        .get(0)
                        .verdict())
                .isEqualTo(IsoVerdict.GAP);
    }

    @Test
    void unavailableGitMakesWellFormedClaimsUnverifiableButMalformedOnesStayFabricated() {
        GitObjectLookup broken = new GitObjectLookup() {
            @Override
            public List<ObjectInfo> lookup(List<String> names) throws GitUnavailableException {
                throw new GitUnavailableException("exit 128");
            }

            @Override
            public Set<String> resolveCommits(List<String> names) throws GitUnavailableException {
                throw new GitUnavailableException("exit 128");
            }

            @Override
            public void close() {}
        };
        List<GroundedResult> r = new ShaVerifier(broken).verifyGrounded(List.of(COMMIT, "nope"));
        assertThat(r)
                .extracting(GroundedResult::verdict)
                .containsExactly(GroundedVerdict.UNVERIFIABLE, GroundedVerdict.FABRICATED);
    }
}
