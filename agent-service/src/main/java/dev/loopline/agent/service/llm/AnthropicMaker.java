package dev.loopline.agent.service.llm;

import dev.loopline.makers.llm.LlmProvider;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code maker.type: anthropic}: the Anthropic Messages API. */
@ApplicationScoped
public class AnthropicMaker extends LlmMaker {

    public static final String TYPE = "anthropic";

    public AnthropicMaker() {
        super(LlmProvider.ANTHROPIC);
    }
}
