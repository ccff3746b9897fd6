package dev.loopline.makers.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import java.time.Duration;

/**
 * Hands a chat model the run's {@link ModelHttpClient}. The timeouts LangChain4j sets here are ignored: the client
 * bounds every call by the call timeout and by what is left of the run.
 */
final class RunHttpClientBuilder implements HttpClientBuilder {

    private final ModelHttpClient client;
    private Duration connectTimeout;
    private Duration readTimeout;

    RunHttpClientBuilder(ModelHttpClient client) {
        this.client = client;
    }

    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return this;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
        this.readTimeout = timeout;
        return this;
    }

    @Override
    public HttpClient build() {
        return client;
    }
}
