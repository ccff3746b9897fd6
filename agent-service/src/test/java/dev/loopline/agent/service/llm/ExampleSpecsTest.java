package dev.loopline.agent.service.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.core.spec.SpecLoadResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example loop specs in the README's directory are valid specs for the makers they show. */
class ExampleSpecsTest {

    @Test
    void theExamplesAreValidSpecsOfTheLlmMakers() {
        SpecLoadResult result = new LoopSpecReader().readDirectory(Path.of("examples"));

        assertThat(result.problems()).isEmpty();
        assertThat(result.specs())
                .extracting(LoadedSpec::spec)
                .extracting(s -> s.maker().type())
                .containsExactlyInAnyOrder("openai", "anthropic");
        assertThat(result.specs()).allSatisfy(loaded -> {
            assertThat(loaded.spec().task()).isNotBlank();
            assertThat(loaded.spec().maker().model()).isNotBlank();
            assertThat(loaded.spec().maker().maxTurns()).isPositive();
        });
    }
}
