package dev.loopline.core.verify.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.verify.GroundedResult;
import dev.loopline.core.verify.GroundedVerdict;
import dev.loopline.core.verify.IsoResult;
import dev.loopline.core.verify.IsoVerdict;
import dev.loopline.core.verify.ShaVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs against real repositories built with the git CLI. */
class CliGitObjectLookupTest {

    @TempDir
    static Path tmp;

    static Path repo;
    static String c1;
    static String c2;
    static String annotatedTag;
    static String ambiguousPrefix;
    static CliGitObjectLookup lookup;
    static ShaVerifier verifier;

    @BeforeAll
    static void buildRepository() throws Exception {
        repo = Files.createDirectory(tmp.resolve("repo"));
        git("init", "-q");
        git("config", "user.email", "t@example.com");
        git("config", "user.name", "t");
        Files.writeString(repo.resolve("a.txt"), "one\n");
        git("add", "a.txt");
        git("commit", "-q", "-m", "one");
        c1 = git("rev-parse", "HEAD");
        Files.writeString(repo.resolve("a.txt"), "two\n");
        git("commit", "-q", "-am", "two");
        c2 = git("rev-parse", "HEAD");
        git("tag", "-a", "v1", "-m", "release", c1);
        annotatedTag = git("rev-parse", "v1");
        git("tag", "light", c1);
        git("branch", "cafe1234", c2);
        ambiguousPrefix = writeTwoBlobsSharingAPrefix();
        lookup = new CliGitObjectLookup(repo);
        verifier = new ShaVerifier(lookup);
    }

    @AfterAll
    static void close() {
        lookup.close();
    }

    /** Finds two blob contents whose ids share 4 hex digits (birthday bound: a few hundred tries). */
    private static String writeTwoBlobsSharingAPrefix() throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; ; i++) {
            String content = "blob-" + i + "\n";
            byte[] body = content.getBytes(StandardCharsets.UTF_8);
            sha1.reset();
            sha1.update(("blob " + body.length + "\0").getBytes(StandardCharsets.UTF_8));
            String id = HexFormat.of().formatHex(sha1.digest(body));
            String prefix = id.substring(0, 4);
            String other = seen.putIfAbsent(prefix, content);
            if (other != null) {
                Path a = tmp.resolve("blob-a");
                Path b = tmp.resolve("blob-b");
                Files.writeString(a, other);
                Files.writeString(b, content);
                git("hash-object", "-w", a.toString(), b.toString());
                return prefix;
            }
        }
    }

    static String git(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("git %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    private static GroundedVerdict grounded(String claim) {
        return verifier.verifyGrounded(List.of(claim)).get(0).verdict();
    }

    @Test
    void fullAndShortCommitIdsAreGroundedCaseInsensitively() {
        List<GroundedResult> r = verifier.verifyGrounded(
                List.of(c1, c2.substring(0, 7), c1.substring(0, 12).toUpperCase()));
        assertThat(r).extracting(GroundedResult::verdict).containsOnly(GroundedVerdict.GROUNDED);
        assertThat(r.get(1).oid()).isEqualTo(c2);
        assertThat(ShaVerifier.allGrounded(r)).isTrue();
    }

    @Test
    void annotatedTagIsNotTheCommitItPointsTo() {
        GroundedResult r = verifier.verifyGrounded(List.of(annotatedTag)).get(0);
        assertThat(r.verdict()).isEqualTo(GroundedVerdict.FABRICATED);
        assertThat(r.detail()).contains("tag");
    }

    @Test
    void hexNamedBranchDoesNotGroundItsName() {
        GroundedResult r = verifier.verifyGrounded(List.of("cafe1234")).get(0);
        assertThat(r.verdict()).isEqualTo(GroundedVerdict.FABRICATED);
        assertThat(r.detail()).contains("ref");
    }

    @Test
    void tagNamesAndMalformedClaimsAreFabricatedWithoutAskingGit() {
        assertThat(verifier.verifyGrounded(List.of("light", "v1", "", "abc", "g1234567", c1 + "00")))
                .extracting(GroundedResult::verdict)
                .containsOnly(GroundedVerdict.FABRICATED);
    }

    @Test
    void missingObjectIsFabricated() {
        assertThat(grounded("0123456789abcdef0123456789abcdef01234567")).isEqualTo(GroundedVerdict.FABRICATED);
        assertThat(grounded("deadbeef")).isEqualTo(GroundedVerdict.FABRICATED);
    }

    @Test
    void treeAndBlobAreNotCommits() throws Exception {
        String tree = git("rev-parse", c1 + "^{tree}");
        String blob = git("rev-parse", c1 + ":a.txt");
        assertThat(grounded(tree)).isEqualTo(GroundedVerdict.FABRICATED);
        assertThat(grounded(blob)).isEqualTo(GroundedVerdict.FABRICATED);
    }

    @Test
    void ambiguousPrefixHasItsOwnVerdict() {
        assertThat(grounded(ambiguousPrefix)).isEqualTo(GroundedVerdict.AMBIGUOUS);
    }

    @Test
    void isomorphicCheckAgreesOnRealCommitsAndOnAbsentOnes() {
        List<IsoResult> r = verifier.verifyIsomorphic(
                List.of(c1, c2.substring(0, 8), annotatedTag, "cafe1234", "deadbeef", ambiguousPrefix, "zz"));
        assertThat(r)
                .extracting(IsoResult::verdict)
                .containsExactly(
                        IsoVerdict.CONSISTENT,
                        IsoVerdict.CONSISTENT,
                        IsoVerdict.CONSISTENT_ABSENT,
                        IsoVerdict.CONSISTENT_ABSENT,
                        IsoVerdict.CONSISTENT_ABSENT,
                        IsoVerdict.CONSISTENT_ABSENT,
                        IsoVerdict.CONSISTENT_ABSENT);
    }

    @Test
    void aHundredClaimsUseOneLongLivedProcess() {
        List<String> claims = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            claims.add(c1.substring(0, 7 + (i % 30)));
            claims.add(String.format("%08x", i));
        }
        List<GroundedResult> first = verifier.verifyGrounded(claims);
        List<GroundedResult> second = verifier.verifyGrounded(claims);
        assertThat(first).hasSize(100).isEqualTo(second);
        assertThat(first.stream().filter(GroundedResult::grounded)).hasSize(50);
    }

    @Test
    void nonRepositoryIsUnverifiable() throws Exception {
        Path plain = Files.createDirectory(tmp.resolve("not-a-repo"));
        try (CliGitObjectLookup l = new CliGitObjectLookup(plain)) {
            ShaVerifier v = new ShaVerifier(l);
            assertThat(v.verifyGrounded(List.of(c1)).get(0).verdict()).isEqualTo(GroundedVerdict.UNVERIFIABLE);
            assertThat(v.verifyIsomorphic(List.of(c1)).get(0).verdict()).isEqualTo(IsoVerdict.UNVERIFIABLE);
        }
    }

    @Test
    void missingGitBinaryIsUnverifiable() {
        try (CliGitObjectLookup l =
                new CliGitObjectLookup(repo, tmp.resolve("no-such-git").toString(), Duration.ofSeconds(5))) {
            ShaVerifier v = new ShaVerifier(l);
            GroundedResult r = v.verifyGrounded(List.of(c1)).get(0);
            assertThat(r.verdict()).isEqualTo(GroundedVerdict.UNVERIFIABLE);
            assertThat(v.verifyIsomorphic(List.of(c1)).get(0).verdict()).isEqualTo(IsoVerdict.UNVERIFIABLE);
        }
    }

    @Test
    void missingRepositoryDirectoryIsUnverifiable() {
        try (CliGitObjectLookup l = new CliGitObjectLookup(tmp.resolve("gone"))) {
            assertThat(new ShaVerifier(l).verifyGrounded(List.of(c1)).get(0).verdict())
                    .isEqualTo(GroundedVerdict.UNVERIFIABLE);
        }
    }
}
