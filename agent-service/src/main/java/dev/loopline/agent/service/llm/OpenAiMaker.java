package dev.loopline.agent.service.llm;

import dev.loopline.makers.llm.LlmProvider;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code maker.type: openai}: any OpenAI-compatible chat-completions endpoint. */
@ApplicationScoped
public class OpenAiMaker extends LlmMaker {

    public static final String TYPE = "openai";

    public OpenAiMaker() {
        super(LlmProvider.OPENAI);
    }
}
