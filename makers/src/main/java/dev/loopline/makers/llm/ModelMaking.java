package dev.loopline.makers.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.loopline.core.guard.injection.UntrustedText;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * The openai and anthropic makers' work, for any adapter that runs it (agent-service's {@code LlmMaker}, the CLI's
 * one-process {@code run}): a model changes the worktree through tools ({@link AgentLoop}), over one provider's API.
 * The key is read from the environment for each run ({@code spec.maker.apiKeyEnv}, else the provider's standard
 * variable, {@link #keyVariable}) and is only ever put in the provider's request header: it is not logged, not given
 * to commands, and removed from everything the run reports.
 */
public final class ModelMaking {

    private final LlmProvider provider;
    private final ModelSettings settings;
    private final UnaryOperator<String> environment;
    private final NotebookStore notebook;
    private final UntrustedText untrusted;
    private final HttpClient http;

    /**
     * @param environment reads an environment variable (the key, the base URL)
     * @param notebook the loop's notebook; null for none
     * @param http the JDK client the model calls go through (it pools connections across runs; {@link #httpClient})
     */
    public ModelMaking(
            LlmProvider provider,
            ModelSettings settings,
            UnaryOperator<String> environment,
            NotebookStore notebook,
            UntrustedText untrusted,
            HttpClient http) {
        this.provider = provider;
        this.settings = settings;
        this.environment = environment;
        this.notebook = notebook;
        this.untrusted = untrusted;
        this.http = http;
    }

    /** A JDK client for the model calls: HTTP/1.1, no redirects, the system's proxies. */
    public static HttpClient httpClient(ModelSettings settings) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.callTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(ProxySelector.getDefault())
                .build();
    }

    /** The environment variable that holds the spec's key: {@code spec.maker.apiKeyEnv}, else the provider's. */
    public static String keyVariable(LlmProvider provider, LoopSpec.Maker maker) {
        return maker == null || maker.apiKeyEnv() == null ? provider.apiKeyEnv() : maker.apiKeyEnv();
    }

    /**
     * Runs the model on the request's worktree until it answers without a tool call.
     *
     * @throws ModelRunFailed when the spec is incomplete, the key is missing, or the run fails (with what it used)
     * @throws BudgetStop when the budget refuses a call's hold
     */
    public ModelRunResult make(ModelRunRequest request) {
        LoopSpec.Maker maker = request.spec().maker();
        if (maker.model() == null || maker.model().isBlank()) {
            throw refuse("spec.maker.model is required");
        }
        if (request.spec().task() == null || request.spec().task().isBlank()) {
            throw refuse("spec.task is required: it is what the model is asked to do");
        }
        String keyVariable = keyVariable(provider, maker);
        String key = environment.apply(keyVariable);
        if (key == null || key.isBlank()) {
            throw refuse("no API key: the environment variable " + keyVariable + " is not set");
        }
        String baseUrl = baseUrl(maker);
        RunContext run = new RunContext(settings.runTimeout(), request::halted);
        Redactor redactor = new Redactor(key);
        ModelHttpClient client = new ModelHttpClient(
                http,
                run,
                new RetryPolicy(settings.maxAttempts(), settings.retryBackoff(), settings.retryMaxBackoff()),
                settings.callTimeout(),
                provider,
                redactor,
                new SplittableRandom());
        ChatModel chat = provider.chatModel(
                baseUrl,
                key,
                maker.model(),
                settings.callTimeout(),
                settings.maxOutputTokens(),
                new RunHttpClientBuilder(client));
        Path root;
        try {
            root = request.worktree().toRealPath();
        } catch (IOException e) {
            throw refuse("worktree " + request.worktree() + " is missing");
        }
        WorktreeTools tools = new WorktreeTools(root, request, run, settings.commandTimeout());
        int maxTurns = maker.maxTurns() == null ? settings.maxTurns() : maker.maxTurns();
        TranscriptCompactor compactor = new TranscriptCompactor(
                settings.compactAboveChars(), settings.compactAboveTokens(), settings.keepRecentTurns());
        return new AgentLoop(
                        provider,
                        chat,
                        tools,
                        run,
                        redactor,
                        maxTurns,
                        tokenCap(request.spec()),
                        compactor,
                        notebook(request))
                .run(request, root);
    }

    /** The loop's notebook, read and scanned now; none when switched off. */
    private LoopNotebook notebook(ModelRunRequest request) {
        if (!settings.notebookEnabled() || notebook == null) {
            return LoopNotebook.NONE;
        }
        return LoopNotebook.open(
                notebook, untrusted, request.loopId(), settings.notesShown(), settings.notebookMaxChars());
    }

    /** The tokens one run may spend: the run stops before a call once they are used. */
    private long tokenCap(LoopSpec spec) {
        return spec.tokensPerRunOr(settings.defaultTokensPerRun());
    }

    private String baseUrl(LoopSpec.Maker maker) {
        String source = "spec.maker.baseUrl";
        String url = maker.baseUrl();
        if (url == null) {
            source = provider.baseUrlEnv();
            url = environment.apply(provider.baseUrlEnv());
        }
        if (url == null || url.isBlank()) {
            return provider.defaultBaseUrl();
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri.toString();
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw refuse(source + " is not an http(s) URL: " + url);
    }

    private ModelRunFailed refuse(String why) {
        return new ModelRunFailed(provider.type() + " maker: " + why, null);
    }
}
