package dev.loopline.agent.service.llm;

import dev.loopline.agent.client.LoopMemoryClient;
import dev.loopline.agent.config.AgentConfig;
import dev.loopline.agent.service.CallBudget;
import dev.loopline.agent.service.Maker;
import dev.loopline.agent.service.MakerException;
import dev.loopline.agent.service.MakerRequest;
import dev.loopline.agent.service.MakerResult;
import dev.loopline.agent.service.ShellMaker;
import dev.loopline.core.guard.injection.UntrustedText;
import dev.loopline.makers.llm.CallHolds;
import dev.loopline.makers.llm.LlmProvider;
import dev.loopline.makers.llm.ModelMaking;
import dev.loopline.makers.llm.ModelRunFailed;
import dev.loopline.makers.llm.ModelRunRequest;
import dev.loopline.makers.llm.ModelRunResult;
import dev.loopline.makers.llm.ModelSettings;
import dev.loopline.schemas.spec.LoopSpec;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.util.function.UnaryOperator;

/**
 * A maker that lets a model change the worktree through tools, over one provider's API: agent-service's adapter of
 * {@link ModelMaking} (module {@code makers}, shared with the CLI's {@code run}). It supplies the run's limits from
 * {@link AgentConfig}, each model call's hold on the budget ledger ({@link CallBudget}), the loop's notebook in
 * state-service ({@link LoopMemoryClient}), and the worker's scratch directory and command environment.
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

    /** Every model call is held and settled on its own. */
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
        ModelSettings settings = settings(config);
        ModelMaking making = new ModelMaking(
                provider,
                settings,
                environment,
                config.notebook().enabled() ? memory : null,
                untrusted,
                http(settings));
        ModelRunRequest run = new ModelRunRequest(
                request.worktree(),
                request.spec(),
                request.loopId(),
                request.tickId(),
                request.attempt(),
                request.reflections(),
                request::halted,
                holds(request.budget()),
                request.worker()::tempFile,
                ShellMaker.environment(request));
        ModelRunResult result;
        try {
            result = making.make(run);
        } catch (ModelRunFailed e) {
            throw new MakerException(e.getMessage(), e.usage());
        }
        return new MakerResult(result.summary(), result.usage());
    }

    /** The run's limits, from {@code loopline.agent.*}. */
    static ModelSettings settings(AgentConfig config) {
        AgentConfig.Model model = config.model();
        AgentConfig.Compaction compaction = config.compaction();
        AgentConfig.Notebook notebook = config.notebook();
        return new ModelSettings(
                model.callTimeout(),
                model.runTimeout(),
                model.maxTurns(),
                model.maxAttempts(),
                model.retryBackoff(),
                model.retryMaxBackoff(),
                model.commandTimeout(),
                model.maxOutputTokens(),
                compaction.aboveChars(),
                compaction.aboveTokens(),
                compaction.keepRecentTurns(),
                notebook.enabled(),
                notebook.notesShown(),
                notebook.maxChars(),
                config.budget().defaultTokensPerRun());
    }

    /** Each model call's hold, on the ledger through the attempt's {@link CallBudget}. */
    private static CallHolds holds(CallBudget budget) {
        return (call, tokens) -> {
            var granted = budget.hold(call, tokens);
            return (used, input) -> budget.settle(granted, used, input);
        };
    }

    /** One JDK client per maker: it pools connections across runs. */
    private HttpClient http(ModelSettings settings) {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = ModelMaking.httpClient(settings);
                }
                client = http;
            }
        }
        return client;
    }
}
