package dev.loopline.makers.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.loopline.schemas.events.Usage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One run of an LLM maker: the model is given the task and the tools, and each of its tool calls is carried out in the
 * worktree and answered, until it answers without a tool call (its text, {@code <think>} blocks stripped, is the
 * summary). Between turns and before every tool call the run stops if its tick was halted or its time is up; it also
 * stops after {@code maxTurns} model calls, and before a call once it has used the run's tokens ({@code
 * budget.tokensPerRun}). Each model call is held on the budget ledger before it is made (for what the run may still
 * spend, keyed by tick, attempt and call) and settled from its own usage; a refused hold stops the run ({@link
 * BudgetStop}). Tokens are summed from every answer and reported even when the run fails.
 */
final class AgentLoop {

    private static final Logger LOG = Logger.getLogger(AgentLoop.class);

    /** Longest summary kept (the proposal's summary field allows 4000 characters). */
    static final int MAX_SUMMARY_CHARS = 2000;

    private final LlmProvider provider;
    private final ChatModel model;
    private final WorktreeTools tools;
    private final RunContext run;
    private final Redactor redactor;
    private final int maxTurns;
    private final long tokenCap;
    private final TranscriptCompactor compactor;
    private final LoopNotebook notebook;
    private final List<ToolSpecification> specifications;

    private long inputTokens;
    private long outputTokens;
    private int toolCalls;
    private int refusals;

    AgentLoop(
            LlmProvider provider,
            ChatModel model,
            WorktreeTools tools,
            RunContext run,
            Redactor redactor,
            int maxTurns,
            long tokenCap,
            TranscriptCompactor compactor,
            LoopNotebook notebook) {
        this.provider = provider;
        this.model = model;
        this.tools = tools;
        this.run = run;
        this.redactor = redactor;
        this.maxTurns = maxTurns;
        this.tokenCap = tokenCap;
        this.compactor = compactor;
        this.notebook = notebook;
        List<ToolSpecification> specs = new ArrayList<>(WorktreeTools.SPECIFICATIONS);
        if (notebook != null && notebook != LoopNotebook.NONE) {
            specs.add(LoopNotebook.SPECIFICATION);
        }
        this.specifications = List.copyOf(specs);
    }

    ModelRunResult run(ModelRunRequest request, Path root) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(systemPrompt(request)));
        messages.add(UserMessage.from(taskPrompt(request, notebook.promptSection())));
        long lastInputTokens = 0;
        for (int turn = 1; turn <= maxTurns; turn++) {
            stopIfStopped(turn - 1);
            if (usage().total() >= tokenCap) {
                throw fail("used " + usage().total() + " tokens after " + (turn - 1) + " turns, the " + tokenCap
                        + " held for the run (raise budget.tokensPerRun to allow more)");
            }
            long before = TranscriptCompactor.size(messages);
            if (compactor.maybeCompact(messages, lastInputTokens)) {
                LOG.infof(
                        "tick %s attempt %d %s turn %d: compacted the transcript from %d to %d characters (%d turns"
                                + " folded)",
                        request.tickId(),
                        request.attempt(),
                        provider.type(),
                        turn,
                        before,
                        TranscriptCompactor.size(messages),
                        compactor.foldedTurns());
            }
            // every call is held before it is made, for what the run may still spend, and settled from its own usage
            CallHolds.Hold hold;
            try {
                hold = request.holds().hold(turn - 1, tokenCap - usage().total());
            } catch (BudgetStop e) {
                throw e.withUsage(usage());
            }
            ChatResponse response = null;
            try {
                response = model.chat(ChatRequest.builder()
                        .messages(messages)
                        .toolSpecifications(specifications)
                        .build());
            } catch (RuntimeException e) {
                throw callFailed(e, turn);
            } finally {
                // a failed call reports no usage: its hold is released (what a provider billed for it is unknown)
                TokenUsage used = response == null ? null : response.tokenUsage();
                long input = used == null || used.inputTokenCount() == null ? 0 : used.inputTokenCount();
                long output = used == null || used.outputTokenCount() == null ? 0 : used.outputTokenCount();
                hold.settle(input + output, input);
            }
            count(response.tokenUsage());
            lastInputTokens =
                    response.tokenUsage() == null || response.tokenUsage().inputTokenCount() == null
                            ? 0
                            : response.tokenUsage().inputTokenCount();
            AiMessage answer = response.aiMessage();
            if (answer == null) {
                throw fail(provider.displayName() + " answered without a message");
            }
            messages.add(answer);
            if (!answer.hasToolExecutionRequests()) {
                return finish(request, root, answer, turn);
            }
            for (ToolExecutionRequest call : answer.toolExecutionRequests()) {
                stopIfStopped(turn);
                String result;
                try {
                    result = LoopNotebook.ADD_NOTE.equals(call.name())
                            ? notebook.add(call)
                            : redactor.redact(tools.execute(call));
                } catch (RunStopped stopped) {
                    throw stopped(stopped, turn);
                }
                toolCalls++;
                if (WorktreeTools.refused(result)) {
                    refusals++;
                    LOG.infof(
                            "tick %s attempt %d %s turn %d: %s %s",
                            request.tickId(), request.attempt(), provider.type(), turn, call.name(), result);
                }
                messages.add(ToolExecutionResultMessage.from(call, result));
            }
        }
        throw fail("gave no final answer within " + maxTurns + " turns (" + toolCalls + " tool calls)");
    }

    private ModelRunResult finish(ModelRunRequest request, Path root, AiMessage answer, int turns) {
        Optional<String> leaked;
        try {
            leaked = LeakCheck.fileWithSecret(root, redactor);
        } catch (IllegalStateException e) {
            throw fail("cannot check the changed files for the API key, so nothing is proposed: "
                    + redactor.redact(e.getMessage()));
        }
        if (leaked.isPresent()) {
            throw fail("the API key was written into " + leaked.get() + "; nothing is proposed");
        }
        String summary = ProviderProblem.oneLine(redactor.redact(ThinkBlocks.strip(answer.text())));
        if (summary.length() > MAX_SUMMARY_CHARS) {
            summary = summary.substring(0, MAX_SUMMARY_CHARS) + "…";
        }
        if (summary.isEmpty()) {
            summary = provider.type() + " maker finished without a summary";
        }
        notebook.save(request.tickId(), request.attempt(), redactor);
        LOG.infof(
                "tick %s attempt %d %s maker finished after %d turns, %d tool calls (%d refused), %d input + %d"
                        + " output tokens, %d compactions",
                request.tickId(),
                request.attempt(),
                provider.type(),
                turns,
                toolCalls,
                refusals,
                inputTokens,
                outputTokens,
                compactor.compactions());
        return new ModelRunResult(summary, usage());
    }

    private void stopIfStopped(int turnsDone) {
        try {
            run.checkRunning();
        } catch (RunStopped stopped) {
            throw stopped(stopped, turnsDone);
        }
    }

    private ModelRunFailed stopped(RunStopped stopped, int turns) {
        return switch (stopped.why()) {
            case HALTED -> fail("stopped after " + turns + " turns: the tick was halted");
            case OUT_OF_TIME -> fail("ran out of time after " + turns + " turns (run timeout "
                    + ModelHttpClient.seconds(run.runTimeout()) + ")");
        };
    }

    private ModelRunFailed callFailed(RuntimeException e, int turn) {
        RunStopped stopped = find(e, RunStopped.class);
        if (stopped != null) {
            return stopped(stopped, turn - 1);
        }
        ModelCallFailed failed = find(e, ModelCallFailed.class);
        if (failed != null) {
            return fail("the " + provider.displayName() + " call of turn " + turn + " failed: " + failed.getMessage());
        }
        // LangChain4j could not read what came back: not JSON, or JSON without the fields a chat answer has
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String problem = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return fail(provider.displayName() + " gave an answer in turn " + turn + " that the maker cannot read: "
                + ProviderProblem.oneLine(problem));
    }

    private ModelRunFailed fail(String why) {
        return new ModelRunFailed(provider.type() + " maker: " + redactor.redact(why), usage());
    }

    private void count(TokenUsage usage) {
        if (usage != null) {
            inputTokens += usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
            outputTokens += usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        }
    }

    private Usage usage() {
        return new Usage(inputTokens, outputTokens);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private String systemPrompt(ModelRunRequest request) {
        return """
                You are the maker of the Loopline loop "%s": you do the task you are given by changing files in a \
                git worktree, using the tools. Paths are relative to the worktree root; absolute paths, '..', \
                symbolic links leading out of the worktree and .git are refused. Commands run in the worktree \
                root with no credentials, and a command guard refuses dangerous ones before they run; a refused \
                tool call tells you why. Do not commit, push or change git configuration: the changes you leave in \
                the worktree are your proposal, and an independent checker runs the tests on them. Never delete, \
                skip or weaken a test to make it pass. You have at most %d turns. When you are done, answer without \
                calling a tool, in one short paragraph saying what you changed and why; that answer ends your run."""
                .formatted(request.loopId(), maxTurns);
    }

    private static String taskPrompt(ModelRunRequest request, String notes) {
        StringBuilder prompt =
                new StringBuilder("Task:\n").append(request.spec().task().strip());
        if (!notes.isEmpty()) {
            prompt.append("\n\n").append(notes);
        }
        List<String> reflections = request.reflections();
        if (!reflections.isEmpty()) {
            prompt.append("\n\nEarlier attempts at this task were rejected by the checker. What it reported, oldest"
                    + " first; do not repeat these mistakes:");
            for (int i = 0; i < reflections.size(); i++) {
                prompt.append("\n\n--- attempt ")
                        .append(i + 1)
                        .append(" ---\n")
                        .append(reflections.get(i).strip());
            }
        }
        return prompt.toString();
    }
}
