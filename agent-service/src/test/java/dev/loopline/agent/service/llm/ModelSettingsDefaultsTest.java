package dev.loopline.agent.service.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.agent.config.AgentConfig;
import dev.loopline.makers.llm.ModelSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code loopline run} runs the openai and anthropic makers with {@link ModelSettings#DEFAULTS}: they must stay
 * agent-service's defaults, so that a loop tried with the CLI gets the limits it gets on the stack.
 */
class ModelSettingsDefaultsTest {

    @Test
    void theSharedDefaultsAreAgentServicesConfiguredDefaults() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(AgentConfig.class)
                // Quarkus's "2m"-style durations, as the service reads them
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("loopline.agent.control-topic", "control"), "test", 100))
                .build();

        assertThat(LlmMaker.settings(config.getConfigMapping(AgentConfig.class)))
                .isEqualTo(ModelSettings.DEFAULTS);
    }
}
