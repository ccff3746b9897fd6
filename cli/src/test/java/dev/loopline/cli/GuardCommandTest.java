package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GuardCommandTest {

    static Stream<Arguments> commands() {
        return Stream.of(
                // command words, exit code, exact output line
                Arguments.of(List.of("git status --porcelain"), 0, "allow"),
                Arguments.of(List.of("echo 'rm -rf /'"), 0, "allow"),
                Arguments.of(
                        List.of("rm -rf /"),
                        2,
                        "BLOCK [fs-recursive-delete]: recursive or wide deletion of files: recursive rm"
                                + " — offending: rm -rf /"),
                Arguments.of(
                        List.of("git", "push", "-f", "origin", "main"),
                        2,
                        "BLOCK [git-force-push]: force push rewrites the remote history other people build on: -f"
                                + " — offending: git push -f origin main"),
                Arguments.of(
                        List.of("cat <<EOF | sh\nrm -rf /\nEOF"),
                        2,
                        "BLOCK [fs-recursive-delete]: recursive or wide deletion of files: recursive rm"
                                + " — offending: rm -rf /"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("commands")
    void printsTheVerdictAndExitsWithItsCode(List<String> words, int exitCode, String line) {
        String[] args = Stream.concat(Stream.of("guard"), words.stream()).toArray(String[]::new);

        CliRun run = CliRun.run("", args);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(exitCode);
        assertThat(run.out()).isEqualTo(line + "\n");
    }

    @Test
    void jsonAllowIsTheBareDecision() {
        CliRun run = CliRun.run("", "guard", "--json", "git status");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("{\"decision\":\"allow\"}\n");
    }

    @Test
    void jsonBlockNamesRuleReasonAndOffendingCommand() {
        CliRun run = CliRun.run("", "guard", "--json", "sudo env X=1 git push --force origin main");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        JsonNode json = run.json();
        assertThat(json.get("decision").asText()).isEqualTo("block");
        assertThat(json.get("rule").asText()).isEqualTo("git-force-push");
        assertThat(json.get("reason").asText()).contains("--force");
        assertThat(json.get("offending").asText()).isEqualTo("git push --force origin main");
    }

    @Test
    void optionsAfterTheFirstWordBelongToTheCommand() {
        CliRun run = CliRun.run("", "guard", "rm", "-rf", "--json", "/");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(run.out()).startsWith("BLOCK [fs-recursive-delete]");
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of(new String[] {"guard"}, "", "no command given"),
                Arguments.of(new String[] {"guard", ""}, "", "the command is empty"),
                Arguments.of(new String[] {"guard", "  "}, "", "the command is empty"),
                Arguments.of(new String[] {"guard", "--bogus", "ls"}, "", "Unknown option: '--bogus'"),
                Arguments.of(new String[] {"guard", "--stdin", "ls"}, "ls\n", "not both"),
                Arguments.of(new String[] {"guard", "--stdin"}, "", "standard input holds no command"),
                Arguments.of(new String[] {"guard", "--stdin"}, "\n  \n\n", "standard input holds no command"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void missingOrEmptyInputIsAUsageErrorNeverAllow(String[] args, String stdin, String message) {
        CliRun run = CliRun.run(stdin, args);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).doesNotContain("allow");
        assertThat(run.err()).contains(message);
    }

    @Test
    void batchAnswersOneJsonLinePerCommandAndExitsWithTheWorst() {
        String stdin = "git status\n\ngit push --force\n\"cat <<EOF | sh\\nrm -rf /\\nEOF\"\nls -la\n";

        CliRun run = CliRun.run(stdin, "guard", "--stdin");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        List<JsonNode> lines = run.jsonLines();
        assertThat(lines).hasSize(4);
        assertThat(lines)
                .extracting(l -> l.get("line").asInt() + " " + l.get("decision").asText())
                .containsExactly("1 allow", "3 block", "4 block", "5 allow");
        assertThat(lines.get(1).get("rule").asText()).isEqualTo("git-force-push");
        assertThat(lines.get(2).get("offending").asText()).isEqualTo("rm -rf /");
    }

    @Test
    void batchOfAllowedCommandsExitsZero() {
        CliRun run = CliRun.run("git status\nls -la\n./mvnw -q test\n", "guard", "--stdin");

        assertThat(run.exitCode()).isZero();
        assertThat(run.jsonLines()).extracting(l -> l.get("decision").asText()).containsOnly("allow");
    }

    @Test
    void batchLineThatLooksLikeJsonIsBlockedWhenEitherReadingIsDangerous() {
        // Decoded, this is an escaped backtick (harmless); read raw by a shell, it runs rm -rf.
        String line = "\"\\\\`rm -rf /tmp/x\\\\`\"";
        assertThat(CliRun.run("", "guard", "\\`rm -rf /tmp/x\\`").exitCode()).isZero();

        CliRun run = CliRun.run(line + "\n", "guard", "--stdin");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(run.jsonLines().get(0).get("rule").asText()).isEqualTo("fs-recursive-delete");
    }

    @Test
    void batchEmptyJsonStringIsAnItemErrorAndFailsTheBatch() {
        CliRun run = CliRun.run("git status\n\"\"\n", "guard", "--stdin");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.jsonLines().get(1).get("error").asText()).startsWith("empty command");
    }

    @Test
    void aSpecsOwnCommandRulesApplyWithSpec(@TempDir Path dir) throws IOException {
        Path spec = Files.writeString(
                dir.resolve("loop.yaml"),
                """
                id: guarded
                kind: report
                level: L1
                target: {repo: /tmp/r}
                commands:
                  deny: [{id: no-publish, reason: loops never publish, command: npm, args: "publish*"}]
                  allow: [{rule: fs-recursive-delete, command: rm -rf /tmp/build}]
                """);

        assertThat(CliRun.run("", "guard", "--spec", spec.toString(), "npm publish")
                        .exitCode())
                .isEqualTo(2);
        assertThat(CliRun.run("", "guard", "--spec", spec.toString(), "rm -rf /tmp/build")
                        .exitCode())
                .isZero();
        assertThat(CliRun.run("", "guard", "rm -rf /tmp/build").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("", "guard", "--spec", dir.resolve("missing.yaml").toString(), "ls")
                        .exitCode())
                .isEqualTo(64);
    }
}
