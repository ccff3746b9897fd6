package dev.loopline.makers.llm;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;

/**
 * The two model APIs the LLM makers speak, through LangChain4j: where each finds its endpoint and key by default,
 * and how its chat model is built. LangChain4j's own retries are off ({@code maxRetries(0)}): {@link ModelHttpClient}
 * retries, because it sees the {@code Retry-After} header that LangChain4j drops.
 */
public enum LlmProvider {

    /** Any OpenAI-compatible chat-completions endpoint. The base URL includes the version ({@code …/v1}). */
    OPENAI("openai", "OpenAI", "OPENAI_BASE_URL", "OPENAI_API_KEY", "https://api.openai.com/v1") {
        @Override
        ChatModel chatModel(
                String baseUrl,
                String apiKey,
                String model,
                Duration callTimeout,
                int maxOutputTokens,
                HttpClientBuilder http) {
            // no max_tokens: OpenAI's newer models refuse it and compatible servers disagree on its successor
            return OpenAiChatModel.builder()
                    .baseUrl(baseUrl)
                    .apiKey(apiKey)
                    .modelName(model)
                    .httpClientBuilder(http)
                    .timeout(callTimeout)
                    .maxRetries(0)
                    .logRequests(false)
                    .logResponses(false)
                    .build();
        }
    },

    /**
     * The Anthropic Messages API. The base URL is the API root as Anthropic's SDKs and Claude Code take it ({@code
     * ANTHROPIC_BASE_URL=https://api.anthropic.com}); {@code /v1} is added unless it is already there.
     */
    ANTHROPIC("anthropic", "Anthropic", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", "https://api.anthropic.com") {
        @Override
        ChatModel chatModel(
                String baseUrl,
                String apiKey,
                String model,
                Duration callTimeout,
                int maxOutputTokens,
                HttpClientBuilder http) {
            String root = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            String versioned = root.endsWith("/v1") ? root + "/" : root + "/v1/";
            return AnthropicChatModel.builder()
                    .baseUrl(versioned)
                    .apiKey(apiKey)
                    .modelName(model)
                    .maxTokens(maxOutputTokens)
                    .httpClientBuilder(http)
                    .timeout(callTimeout)
                    .maxRetries(0)
                    .logRequests(false)
                    .logResponses(false)
                    .build();
        }
    };

    private final String type;
    private final String displayName;
    private final String baseUrlEnv;
    private final String apiKeyEnv;
    private final String defaultBaseUrl;

    LlmProvider(String type, String displayName, String baseUrlEnv, String apiKeyEnv, String defaultBaseUrl) {
        this.type = type;
        this.displayName = displayName;
        this.baseUrlEnv = baseUrlEnv;
        this.apiKeyEnv = apiKeyEnv;
        this.defaultBaseUrl = defaultBaseUrl;
    }

    /** The {@code spec.maker.type}. */
    public String type() {
        return type;
    }

    /** How messages name the provider, e.g. {@code OpenAI}. */
    public String displayName() {
        return displayName;
    }

    /** The environment variable with the endpoint when the spec sets no {@code maker.baseUrl}. */
    public String baseUrlEnv() {
        return baseUrlEnv;
    }

    /** The environment variable with the key when the spec sets no {@code maker.apiKeyEnv}. */
    public String apiKeyEnv() {
        return apiKeyEnv;
    }

    /** The provider's public endpoint, used when neither the spec nor the environment names one. */
    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    abstract ChatModel chatModel(
            String baseUrl,
            String apiKey,
            String model,
            Duration callTimeout,
            int maxOutputTokens,
            HttpClientBuilder http);
}
