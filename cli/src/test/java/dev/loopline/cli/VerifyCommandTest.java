package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.core.verify.GitObjectLookup;
import dev.loopline.core.verify.IsoResult;
import dev.loopline.core.verify.IsoVerdict;
import dev.loopline.core.verify.ObjectInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** verify and verify-iso against real git repositories. */
class VerifyCommandTest {

    private static final String MISSING = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";

    @TempDir
    static Path dir;

    static Path repo;
    static Path plain;
    static String head;
    static String first;
    static String tagObject;
    static String ambiguous;

    @BeforeAll
    static void repository() throws IOException, InterruptedException {
        repo = Files.createDirectories(dir.resolve("repo"));
        plain = Files.createDirectories(dir.resolve("plain"));
        git("init", "-q");
        Files.writeString(repo.resolve("a.txt"), "one\n");
        git("add", "a.txt");
        git("commit", "-q", "-m", "one");
        first = git("rev-parse", "HEAD");
        git("tag", "-a", "v1", "-m", "release one");
        tagObject = git("rev-parse", "v1");
        git("branch", "cafe1234");
        Files.writeString(repo.resolve("a.txt"), "two\n");
        git("commit", "-q", "-am", "two");
        head = git("rev-parse", "HEAD");
        ambiguous = head.substring(0, 4);
        writeBlobSharingPrefix(ambiguous);
    }

    /** Stores a blob whose id starts with {@code prefix}, so that prefix names two objects. */
    private static void writeBlobSharingPrefix(String prefix) throws IOException, InterruptedException {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; ; i++) {
            byte[] content = ("blob filler " + i + "\n").getBytes(StandardCharsets.UTF_8);
            sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.UTF_8));
            String id = HexFormat.of().formatHex(sha1.digest(content));
            // shares exactly the prefix, so longer prefixes of the commit stay unambiguous
            if (id.startsWith(prefix) && id.charAt(prefix.length()) != head.charAt(prefix.length())) {
                Path file = Files.write(dir.resolve("filler"), content);
                assertThat(git("hash-object", "-w", file.toString())).isEqualTo(id);
                return;
            }
        }
    }

    private static String git(String... args) throws IOException, InterruptedException {
        List<String> command = Stream.concat(
                        Stream.of("git", "-c", "user.name=Loop", "-c", "user.email=loop@example.com"), Stream.of(args))
                .toList();
        Process p = new ProcessBuilder(command)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    static Stream<Arguments> groundedClaims() {
        return Stream.of(
                // name, claim supplier key, exit code, verdict, detail fragment
                Arguments.of("full sha", "head", 0, "grounded", null),
                Arguments.of("short sha", "head7", 0, "grounded", null),
                Arguments.of("upper-case sha", "HEAD", 0, "grounded", null),
                Arguments.of("missing sha", "missing", 3, "fabricated", "no such object"),
                Arguments.of("not hex", "main", 3, "fabricated", "not 4-40 or 64 hex digits"),
                Arguments.of("hex-named branch", "cafe1234", 3, "fabricated", "resolves through a ref"),
                Arguments.of("annotated tag prefix", "tag8", 3, "fabricated", "is a tag, not a commit"),
                Arguments.of("ambiguous prefix", "ambiguous", 3, "ambiguous", "prefix matches several objects"));
    }

    private static String claim(String key) {
        return switch (key) {
            case "head" -> head;
            case "head7" -> head.substring(0, 7);
            case "HEAD" -> head.toUpperCase(Locale.ROOT);
            case "missing" -> MISSING;
            case "tag8" -> tagObject.substring(0, 8);
            case "ambiguous" -> ambiguous;
            default -> key;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groundedClaims")
    void verifyJudgesEachClaim(String name, String key, int exitCode, String verdict, String detail) {
        String sha = claim(key);

        CliRun run = CliRun.run("", "verify", "--json", repo.toString(), sha);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(exitCode);
        JsonNode json = run.json();
        assertThat(json.get("valid").asBoolean()).isEqualTo(exitCode == 0);
        JsonNode c = json.get("claims").get(0);
        assertThat(c.get("sha").asText()).isEqualTo(sha);
        assertThat(c.get("verdict").asText()).isEqualTo(verdict);
        if (detail == null) {
            assertThat(c.get("oid").asText()).isEqualTo(head);
        } else {
            assertThat(c.get("detail").asText()).contains(detail);
            assertThat(c.has("oid")).isFalse();
        }
    }

    @Test
    void oneFabricatedClaimInvalidatesTheBatch() {
        CliRun run = CliRun.run("", "verify", repo.toString(), head, first, "cafe1234");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FABRICATED);
        assertThat(run.out())
                .contains("grounded     " + head + "  commit " + head)
                .contains("grounded     " + first + "  commit " + first)
                .contains("fabricated   cafe1234  resolves through a ref to commit " + first)
                .endsWith("NOT VALID\n");
    }

    @Test
    void aDirectoryGitCannotReadMakesClaimsUnverifiableAndThatWinsOverFabricated() {
        CliRun run = CliRun.run("", "verify", "--json", plain.toString(), head, "not-a-sha");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNVERIFIABLE);
        assertThat(run.json().get("claims"))
                .extracting(c -> c.get("verdict").asText())
                .containsExactly("unverifiable", "fabricated");
    }

    static Stream<Arguments> isoClaims() {
        return Stream.of(
                Arguments.of("full sha", "head", 0, "consistent"),
                Arguments.of("short sha", "head7", 0, "consistent"),
                Arguments.of("fabricated sha", "missing", 3, "consistent-absent"),
                Arguments.of("not hex", "main", 3, "consistent-absent"),
                Arguments.of("hex-named branch", "cafe1234", 3, "consistent-absent"),
                Arguments.of("annotated tag prefix", "tag8", 3, "consistent-absent"),
                Arguments.of("ambiguous prefix", "ambiguous", 3, "consistent-absent"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isoClaims")
    void verifyIsoExitsThreeForClaimsThatNameNoCommit(String name, String key, int exitCode, String verdict) {
        CliRun run = CliRun.run("", "verify-iso", "--json", repo.toString(), claim(key));

        assertThat(run.exitCode()).as(run.all()).isEqualTo(exitCode);
        JsonNode json = run.json();
        assertThat(json.get("consistent").asBoolean()).isEqualTo(exitCode == 0);
        assertThat(json.get("gap").asBoolean()).isFalse();
        assertThat(json.get("unverifiable").asBoolean()).isFalse();
        assertThat(json.get("claims").get(0).get("verdict").asText()).isEqualTo(verdict);
    }

    @Test
    void verifyIsoOnADirectoryGitCannotReadExitsFour() {
        CliRun run = CliRun.run("", "verify-iso", "--json", plain.toString(), head);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNVERIFIABLE);
        assertThat(run.json().get("unverifiable").asBoolean()).isTrue();
    }

    @Test
    void verifyIsoExitsEightWhenTheDerivationsDisagree() {
        // Real git keeps both derivations in step; a lookup whose second derivation loses the commit shows a gap.
        GitObjectLookup split = new GitObjectLookup() {
            @Override
            public List<ObjectInfo> lookup(List<String> names) {
                return names.stream()
                        .map(n -> ObjectInfo.found(n, head, "commit"))
                        .toList();
            }

            @Override
            public Set<String> resolveCommits(List<String> names) {
                return Set.of();
            }

            @Override
            public void close() {}
        };

        CliRun run = CliRun.run(
                "",
                cl -> ((VerifyIsoCommand) cl.getSubcommands().get("verify-iso").getCommand()).git = path -> split,
                "verify-iso",
                "--json",
                repo.toString(),
                head);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ISO_GAP);
        assertThat(run.json().get("gap").asBoolean()).isTrue();
        assertThat(run.json().get("claims").get(0).get("detail").asText()).contains("re-derived nothing");
    }

    static Stream<Arguments> isoExitOrder() {
        return Stream.of(
                Arguments.of(List.of(IsoVerdict.CONSISTENT, IsoVerdict.CONSISTENT), 0),
                Arguments.of(List.of(IsoVerdict.CONSISTENT, IsoVerdict.CONSISTENT_ABSENT), 3),
                Arguments.of(List.of(IsoVerdict.CONSISTENT_ABSENT, IsoVerdict.GAP), 8),
                Arguments.of(List.of(IsoVerdict.GAP, IsoVerdict.UNVERIFIABLE), 4),
                Arguments.of(List.of(IsoVerdict.CONSISTENT_ABSENT, IsoVerdict.UNVERIFIABLE), 4));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("isoExitOrder")
    void verifyIsoExitCodeIsUnverifiableThenGapThenFabricated(List<IsoVerdict> verdicts, int exitCode) {
        List<IsoResult> results =
                verdicts.stream().map(v -> new IsoResult("abcd", v, null)).toList();

        assertThat(VerifyIsoCommand.exitCode(results)).isEqualTo(exitCode);
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of(new String[] {"verify", "@repo"}, "Missing required parameter: '<sha>'"),
                Arguments.of(new String[] {"verify-iso", "@repo"}, "Missing required parameter: '<sha>'"),
                Arguments.of(new String[] {"verify"}, "Missing required parameters: '<repo>', '<sha>'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void missingArgumentsAreUsageErrors(String[] args, String message) {
        String[] resolved = Stream.of(args)
                .map(a -> a.startsWith("@") ? dir.resolve(a.substring(1)).toString() : a)
                .toArray(String[]::new);

        CliRun run = CliRun.run("", resolved);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains(message);
    }

    static Stream<Arguments> noRepository() {
        return Stream.of(
                Arguments.of(new String[] {"verify", "@nope", "abcd1234"}, "does not exist"),
                Arguments.of(new String[] {"verify-iso", "@nope", "abcd1234"}, "does not exist"),
                Arguments.of(new String[] {"verify", "@repo/a.txt", "abcd1234"}, "is not a directory"),
                Arguments.of(new String[] {"verify-iso", "@repo/a.txt", "abcd1234"}, "is not a directory"));
    }

    /** As the earlier tool: without a repository git cannot answer, so each claim is unverifiable (exit 4). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("noRepository")
    void aPathThatIsNoRepositoryMakesEveryClaimUnverifiable(String[] args, String detail) {
        String[] resolved = Stream.of(args)
                .map(a -> a.startsWith("@") ? dir.resolve(a.substring(1)).toString() : a)
                .toArray(String[]::new);

        CliRun run = CliRun.run("", resolved);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNVERIFIABLE);
        assertThat(run.out()).contains("unverifiable").contains(detail);
    }
}
