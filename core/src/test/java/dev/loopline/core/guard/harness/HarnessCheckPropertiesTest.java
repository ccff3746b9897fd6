package dev.loopline.core.guard.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.diff.ChangeType;
import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.FileChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class HarnessCheckPropertiesTest {

    private static final Map<String, String> BASE = Map.of(
            "test.sh", "#!/bin/sh\nsh ci/run.sh\n",
            "ci/run.sh", "grep -q hello src/a.txt\n");

    /** However the test command is wrapped or spelled, the script it runs stays pinned. */
    @Property
    void theScriptStaysPinnedUnderAnyWrapping(
            @ForAll("wrappedCommands") String command, @ForAll("changes") ChangeType type) {
        for (String script : List.of("test.sh", "ci/run.sh")) {
            assertThat(check(command, change(script, type)).findings())
                    .as("%s, %s %s", command, type, script)
                    .singleElement()
                    .extracting(HarnessFinding::ruleId)
                    .isEqualTo(HarnessFinding.HARNESS_CHANGED);
        }
    }

    /** Product files under src/ with ordinary names are never the harness, whatever the change. */
    @Property
    void productFilesAreNeverPinned(@ForAll("productPaths") String path, @ForAll("changes") ChangeType type) {
        assertThat(check("sh test.sh", change(path, type)).findings()).isEmpty();
    }

    /** Every pinned path is among the paths to restore, so the tests cannot run on a rewritten harness. */
    @Property
    void everyFindingsPathIsRestored(@ForAll("wrappedCommands") String command, @ForAll("changes") ChangeType type) {
        HarnessCheck.Result result = check(command, change("test.sh", type), change("Makefile", type));
        assertThat(result.findings())
                .allSatisfy(f -> assertThat(result.touchedPaths()).contains(f.path()));
    }

    @Provide
    Arbitrary<String> wrappedCommands() {
        Arbitrary<String> prefix = Arbitraries.of(
                "", "env CI=1 ", "timeout 60 ", "nice -n 5 ", "command ", "exec ", "time ", "CI=true ", "uv run ");
        Arbitrary<String> shell = Arbitraries.of("sh", "bash", "/bin/sh", "dash", "bash -e", "sh -x");
        Arbitrary<String> path = Arbitraries.of("test.sh", "./test.sh", "'test.sh'", "\"./test.sh\"", ".//test.sh");
        Arbitrary<String> direct = Combinators.combine(prefix, shell, path).as((p, s, f) -> p + s + " " + f);
        Arbitrary<String> inner =
                Combinators.combine(shell, path).as((s, f) -> "sh -c '" + s + " " + f.replace("'", "") + "'");
        return Arbitraries.oneOf(
                direct,
                inner,
                Combinators.combine(prefix, path)
                        .as((p, f) ->
                                p + "./" + f.replace("'", "").replace("\"", "").replace("./", "")));
    }

    @Provide
    Arbitrary<ChangeType> changes() {
        return Arbitraries.of(ChangeType.MODIFIED, ChangeType.DELETED, ChangeType.ADDED, ChangeType.RENAMED);
    }

    @Provide
    Arbitrary<String> productPaths() {
        Arbitrary<String> dir = Arbitraries.of("src", "src/app", "lib", "pkg/server", "app/models");
        Arbitrary<String> name =
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10);
        Arbitrary<String> ext = Arbitraries.of("py", "java", "ts", "go", "rb", "txt", "md", "css");
        return Combinators.combine(dir, name, ext).as((d, n, e) -> d + "/" + n + "." + e);
    }

    private static FileChange change(String path, ChangeType type) {
        return switch (type) {
            case ADDED -> new FileChange(null, path, type, null, "100644", false, List.of());
            case DELETED -> new FileChange(path, null, type, "100644", null, false, List.of());
            case RENAMED -> new FileChange(path, path + ".old", type, null, null, false, List.of());
            default -> new FileChange(path, path, type, null, null, false, List.of());
        };
    }

    private static HarnessCheck.Result check(String command, FileChange... changes) {
        Tree base = path -> Optional.ofNullable(BASE.get(path));
        return new HarnessCheck(command, List.of()).check(new Diff(List.of(changes)), base, base);
    }
}
