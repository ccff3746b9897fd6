package dev.loopline.agent.service.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.loopline.agent.client.LoopMemoryClient;
import dev.loopline.agent.config.AgentConfig;
import dev.loopline.agent.service.Maker;
import dev.loopline.agent.service.MakerException;
import dev.loopline.agent.service.MakerRequest;
import dev.loopline.agent.service.MakerResult;
import dev.loopline.core.guard.injection.UntrustedText;
import dev.loopline.schemas.spec.LoopSpec;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * A maker that lets a model change the worktree through tools ({@link AgentLoop}), over one provider's API. The key
 * is read from the environment for each run ({@code spec.maker.apiKeyEnv}, else the provider's standard variable) and
 * is only ever put in the provider's request header: it is not logged, not given to commands, and removed from
 * everything the run reports.
 */
public abstract class LlmMaker implements Maker {

    @Inject
    AgentConfig config;

    /** The loop's notebook in state-service. */
    @Inject
    LoopMemoryClient memory;

    /** Scans each note before a model sees it. */
    @Inject
    UntrustedText untrusted;

    /** Reads an environment variable; tests replace it. */
    UnaryOperator<String> environment = System::getenv;

    private final LlmProvider provider;
    private volatile HttpClient http;

    protected LlmMaker(LlmProvider provider) {
        this.provider = provider;
    }

    @Override
    public String type() {
        return provider.type();
    }

    /** Every model call is held and settled on its own ({@link AgentLoop}). */
    @Override
    public boolean holdsPerCall() {
        return true;
    }

    /** The spec's model: the ledger prices the tokens at it. */
    @Override
    public String model(MakerRequest request) {
        LoopSpec.Maker maker = request.spec().maker();
        return maker == null ? null : maker.model();
    }

    @Override
    public MakerResult make(MakerRequest request) {
        LoopSpec.Maker maker = request.spec().maker();
        if (maker.model() == null || maker.model().isBlank()) {
            throw refuse("spec.maker.model is required");
        }
        if (request.spec().task() == null || request.spec().task().isBlank()) {
            throw refuse("spec.task is required: it is what the model is asked to do");
        }
        String keyVariable = maker.apiKeyEnv() == null ? provider.apiKeyEnv() : maker.apiKeyEnv();
        String key = environment.apply(keyVariable);
        if (key == null || key.isBlank()) {
            throw refuse("no API key: the environment variable " + keyVariable + " is not set");
        }
        String baseUrl = baseUrl(maker);
        AgentConfig.Model limits = config.model();
        RunContext run = new RunContext(limits.runTimeout(), request::halted);
        Redactor redactor = new Redactor(key);
        ModelHttpClient client = new ModelHttpClient(
                http(),
                run,
                new RetryPolicy(limits.maxAttempts(), limits.retryBackoff(), limits.retryMaxBackoff()),
                limits.callTimeout(),
                provider,
                redactor,
                new SplittableRandom());
        ChatModel chat = provider.chatModel(
                baseUrl,
                key,
                maker.model(),
                limits.callTimeout(),
                limits.maxOutputTokens(),
                new RunHttpClientBuilder(client));
        Path root;
        try {
            root = request.worktree().toRealPath();
        } catch (IOException e) {
            throw refuse("worktree " + request.worktree() + " is missing");
        }
        WorktreeTools tools = new WorktreeTools(root, request, run, limits.commandTimeout());
        int maxTurns = maker.maxTurns() == null ? limits.maxTurns() : maker.maxTurns();
        AgentConfig.Compaction compaction = config.compaction();
        TranscriptCompactor compactor = new TranscriptCompactor(
                compaction.aboveChars(), compaction.aboveTokens(), compaction.keepRecentTurns());
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
    private LoopNotebook notebook(MakerRequest request) {
        AgentConfig.Notebook notebook = config.notebook();
        if (!notebook.enabled() || memory == null) {
            return LoopNotebook.NONE;
        }
        return LoopNotebook.open(memory, untrusted, request.loopId(), notebook.notesShown(), notebook.maxChars());
    }

    /** The tokens one run may spend: the run stops before a call once they are used. */
    private long tokenCap(LoopSpec spec) {
        return spec.budget() != null && spec.budget().tokensPerRun() != null
                ? spec.budget().tokensPerRun()
                : config.budget().defaultTokensPerRun();
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

    /** One JDK client per maker: it pools connections across runs. */
    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(config.model().callTimeout())
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .proxy(ProxySelector.getDefault())
                            .build();
                }
                client = http;
            }
        }
        return client;
    }

    private MakerException refuse(String why) {
        return new MakerException(provider.type() + " maker: " + why);
    }
}
