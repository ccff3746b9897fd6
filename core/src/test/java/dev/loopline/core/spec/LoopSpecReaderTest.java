package dev.loopline.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopSpecReaderTest {

    @TempDir
    Path dir;

    private final LoopSpecReader reader = new LoopSpecReader();

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void readsAValidSpecAndResolvesTheRepoAgainstTheSpecFile() throws IOException {
        write(
                "docs.yaml",
                """
                id: docs-changelog
                team: platform
                kind: assisted-fix
                level: L3
                cadence: 5m-15m
                target: {repo: ../sample-repo, baseRef: main}
                test: {command: ./test.sh, timeoutSeconds: 30}
                maker:
                  type: mock
                  edits:
                    - {path: docs/CHANGELOG.md, append: "- {{tick}}\\n"}
                allowlist: {allow: ["docs/**"]}
                """);

        SpecLoadResult result = reader.readDirectory(dir);

        assertThat(result.problems()).isEmpty();
        LoopSpec spec = result.specs().get(0).spec();
        assertThat(spec.level()).isEqualTo(LoopSpec.Level.L3);
        assertThat(spec.kind()).isEqualTo(LoopSpec.Kind.ASSISTED_FIX);
        assertThat(spec.target().repo())
                .isEqualTo(dir.getParent().resolve("sample-repo").toString());
        assertThat(spec.test().timeoutSecondsOrDefault()).isEqualTo(30);
        assertThat(spec.maker().edits())
                .singleElement()
                .extracting(LoopSpec.Edit::append)
                .isEqualTo("- {{tick}}\n");
        assertThat(result.specs().get(0).hash()).hasSize(64);
    }

    @Test
    void anInvalidSpecIsReportedWithFileAndFieldWhileOthersStillLoad() throws IOException {
        write("good.yaml", "{id: good, kind: report, level: L1, target: {repo: /tmp/r}}");
        Path bad = write("bad.yaml", "{id: bad, kind: report, level: L7, target: {repo: /tmp/r}}");

        SpecLoadResult result = reader.readDirectory(dir);

        assertThat(result.specs()).extracting(s -> s.spec().id()).containsExactly("good");
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(bad.toString());
            assertThat(p.field()).isEqualTo("$.level");
            assertThat(p.message()).contains("L0", "L3");
        });
    }

    @Test
    void missingRequiredFieldIsNamed() throws IOException {
        write("nokind.yaml", "{id: x, level: L1, target: {repo: /tmp/r}}");

        assertThat(reader.readDirectory(dir).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("kind"));
    }

    @Test
    void brokenYamlIsReportedWithItsLine() throws IOException {
        write("broken.yaml", "id: x\nkind: [report\n");

        assertThat(reader.readDirectory(dir).problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).startsWith("line ");
            assertThat(p.message()).startsWith("not valid YAML/JSON");
        });
    }

    @Test
    void duplicateIdsKeepTheFirstAndReportTheSecond() throws IOException {
        write("a.yaml", "{id: same, kind: report, level: L1, target: {repo: /tmp/r}}");
        write("b.yaml", "{id: same, kind: report, level: L1, target: {repo: /tmp/s}}");

        SpecLoadResult result = reader.readDirectory(dir);

        assertThat(result.specs())
                .singleElement()
                .satisfies(s -> assertThat(s.file().getFileName().toString()).isEqualTo("a.yaml"));
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("duplicate"));
    }

    @Test
    void unknownFieldsAreRejectedSoTyposDoNotSilentlyDisableSafety() throws IOException {
        write("typo.yaml", "{id: t, kind: report, level: L1, target: {repo: /tmp/r}, alowlist: {allow: [x]}}");

        assertThat(reader.readDirectory(dir).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("alowlist"));
    }

    @Test
    void sameContentGivesTheSameHash() throws IOException {
        write("a.yaml", "{id: a, kind: report, level: L1, target: {repo: /tmp/r}}");
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.writeString(other.resolve("a.yaml"), "id: a\nkind: report\nlevel: L1\ntarget:\n  repo: /tmp/r\n");

        assertThat(reader.readDirectory(dir).specs().get(0).hash())
                .isEqualTo(reader.readDirectory(other).specs().get(0).hash());
    }

    @Test
    void loopCommandRulesAreReadIntoTheSpec() throws IOException {
        write(
                "guarded.yaml",
                """
                id: guarded
                kind: report
                level: L1
                target: {repo: /tmp/r}
                commands:
                  deny: [{id: no-publish, reason: loops never publish, command: npm, args: "publish*"}]
                  allow: [{rule: fs-recursive-delete, command: rm -rf target}]
                """);

        LoopSpec.Commands commands =
                reader.readDirectory(dir).specs().get(0).spec().commands();

        assertThat(commands.deny())
                .containsExactly(new LoopSpec.CommandDeny("no-publish", "loops never publish", "npm", "publish*"));
        assertThat(commands.allow()).containsExactly(new LoopSpec.CommandAllow("fs-recursive-delete", "rm -rf target"));
    }

    @Test
    void aCommandRuleWithoutAReasonIsRejected() throws IOException {
        write(
                "noreason.yaml",
                "{id: g, kind: report, level: L1, target: {repo: /tmp/r}, commands: {deny: [{id: x, command: npm}]}}");

        assertThat(reader.readDirectory(dir).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("reason"));
    }
}
