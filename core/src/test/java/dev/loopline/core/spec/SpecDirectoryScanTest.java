package dev.loopline.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecDirectoryScanTest {

    @TempDir
    Path dir;

    @Test
    void skipsJsonSchemasAndOtherDocumentsButReportsBrokenSpecs() throws IOException {
        Files.writeString(
                dir.resolve("registry.schema.json"),
                "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": \"object\"}");
        Files.writeString(dir.resolve("package.json"), "{\"name\": \"web\", \"version\": \"1.0.0\"}");
        Files.writeString(dir.resolve("compose.yaml"), "services:\n  db: {image: postgres}\n");
        Files.writeString(
                dir.resolve("docs.yaml"),
                "id: docs-fix\nkind: assisted-fix\nlevel: L1\ntarget: {repo: .}\nmaker: {type: mock}\n");
        Files.writeString(dir.resolve("broken.yaml"), "id: broken\nkind: nonsense\n");
        Files.writeString(dir.resolve("empty.loop.json"), "{}");

        SpecLoadResult result = new SpecRepository().load(dir);

        assertThat(result.specs()).extracting(s -> s.spec().id()).containsExactly("docs-fix");
        assertThat(result.problems())
                .extracting(SpecProblem::toString)
                .allMatch(p -> p.contains("broken.yaml") || p.contains("empty.loop.json"))
                .anyMatch(p -> p.contains("broken.yaml"))
                .anyMatch(p -> p.contains("empty.loop.json"));
    }

    @Test
    void loadsSeveralPlacesTogetherAndReportsAnIdDefinedTwice() throws IOException {
        Path loops = Files.createDirectories(dir.resolve("loops"));
        String spec = "id: docs-fix\nkind: assisted-fix\nlevel: L1\ntarget: {repo: .}\nmaker: {type: mock}\n";
        Files.writeString(dir.resolve("loopline.yaml"), spec);
        Files.writeString(loops.resolve("docs.yaml"), spec);
        Files.writeString(loops.resolve("other.yaml"), spec.replace("docs-fix", "other"));

        SpecLoadResult result = new SpecRepository().loadAll(List.of(dir, loops));

        assertThat(result.specs()).extracting(s -> s.spec().id()).containsExactly("docs-fix", "other");
        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0).toString()).contains("duplicate loop id 'docs-fix'");
    }
}
