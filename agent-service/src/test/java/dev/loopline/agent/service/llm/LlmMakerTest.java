package dev.loopline.agent.service.llm;

import static dev.loopline.testsupport.model.Dialect.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.agent.service.MakerException;
import dev.loopline.agent.service.MakerRequest;
import dev.loopline.agent.service.MakerResult;
import dev.loopline.agent.service.TestRepo;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.model.Dialect;
import dev.loopline.testsupport.model.LlmSpecs;
import dev.loopline.testsupport.model.ScriptedModelServer;
import dev.loopline.testsupport.model.ScriptedModelServer.Received;
import dev.loopline.testsupport.model.ScriptedModelServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The openai and anthropic makers against a real HTTP server speaking each provider's protocol, in a real git
 * worktree: the tools, the command guard, the path rules, retries, timeouts, halts and token accounting.
 */
class LlmMakerTest {

    private static final String KEY = "sk-test-9f8e7d6c5b4a";
    private static final String TASK = "Add a NOTES.md that says hello.";

    @TempDir
    Path temp;

    private ScriptedModelServer server;
    private Path worktree;

    @BeforeEach
    void setUp() throws IOException {
        server = ScriptedModelServer.start();
        worktree = Files.createDirectories(temp.resolve("wt"));
        TestRepo.create(worktree).write("README.md", "# demo\n").commit("initial");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void runsTheScriptedConversationRefusingTheBlockedCommandAndTheEscape(Dialect dialect) throws IOException {
        Path marker = temp.resolve("rm-ran");
        server.then(dialect.toolCall("call_1", "write_file", args("path", "NOTES.md", "content", "hello\n"), 100, 10))
                .then(dialect.toolCall(
                        "call_2", "run_command", args("command", "touch " + marker + " && rm -rf ~"), 120, 11))
                .then(dialect.toolCall("call_3", "write_file", args("path", "../outside.txt", "content", "x"), 140, 12))
                .then(dialect.answer("<think>the notes are written</think>Added NOTES.md saying hello.", 160, 13));

        MakerResult result = maker(dialect).make(request(spec(dialect, null)));

        assertThat(worktree.resolve("NOTES.md")).hasContent("hello");
        assertThat(marker).doesNotExist();
        assertThat(temp.resolve("outside.txt")).doesNotExist();
        assertThat(result.summary()).isEqualTo("Added NOTES.md saying hello.");
        assertThat(result.usage()).isEqualTo(new Usage(100 + 120 + 140 + 160, 10 + 11 + 12 + 13));

        List<Received> requests = server.received();
        assertThat(requests).hasSize(4).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo(dialect.path());
            assertThat(dialect.key(r)).isEqualTo(KEY);
            assertThat(r.json().path("model").asText()).isEqualTo("test-model");
        });
        assertThat(dialect.toolNames(requests.get(0).json()))
                .containsExactlyInAnyOrder(
                        "list_files", "read_file", "search_text", "write_file", "edit_file", "run_command");
        assertThat(requests.get(0).body()).contains(TASK);
        List<String> results = dialect.toolResults(requests.get(3).json());
        assertThat(results).hasSize(3);
        assertThat(results.get(0)).isEqualTo("wrote NOTES.md (6 bytes)");
        assertThat(results.get(1))
                .startsWith("refused: the command guard blocked it by rule fs-recursive-delete: ")
                .endsWith("it was not run");
        assertThat(results.get(2)).isEqualTo("refused: path '../outside.txt': '..' is not allowed");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void readsTheKeyFromTheVariableTheSpecNames(Dialect dialect) {
        server.then(dialect.answer("nothing to do", 5, 1));
        LlmMaker maker = maker(dialect);
        maker.environment = Map.of("TEAM_LLM_KEY", "sk-team-key-42")::get;

        maker.make(request(spec(dialect, null, "TEAM_LLM_KEY")));

        assertThat(dialect.key(server.received().get(0))).isEqualTo("sk-team-key-42");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aMissingKeyFailsBeforeAnyCallNamingTheVariableOnly(Dialect dialect) {
        LlmMaker maker = maker(dialect);
        maker.environment = Map.<String, String>of()::get;

        assertThatThrownBy(() -> maker.make(request(spec(dialect, null))))
                .isInstanceOf(MakerException.class)
                .hasMessage(dialect.makerType() + " maker: no API key: the environment variable "
                        + (dialect == Dialect.OPENAI ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY") + " is not set");
        assertThat(server.received()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void waitsAsLongAsRetryAfterAsksBeforeRetryingA429(Dialect dialect) {
        server.then(Reply.status(429, dialect.error("rate_limit_error", "slow down"), Map.of("Retry-After", "1")))
                .then(dialect.answer("done", 7, 3));

        MakerResult result = maker(dialect).make(request(spec(dialect, null)));

        assertThat(result.summary()).isEqualTo("done");
        assertThat(result.usage()).isEqualTo(new Usage(7, 3));
        List<Received> requests = server.received();
        assertThat(requests).hasSize(2);
        // the backoff alone would wait 10-20 ms in this configuration
        assertThat(Duration.ofNanos(requests.get(1).atNanos() - requests.get(0).atNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void retriesAServerErrorWithBackoff(Dialect dialect) {
        server.then(Reply.status(500, dialect.error("api_error", "internal"), Map.of()))
                .then(Reply.status(503, "upstream unavailable", Map.of()))
                .then(dialect.answer("done", 7, 3));

        MakerResult result = maker(dialect).make(request(spec(dialect, null)));

        assertThat(result.summary()).isEqualTo("done");
        assertThat(server.received()).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aClientErrorIsNotRetriedAndQuotesTheProvider(Dialect dialect) {
        server.then(
                Reply.status(400, dialect.error("invalid_request_error", "model test-model does not exist"), Map.of()));

        assertThatThrownBy(() -> maker(dialect).make(request(spec(dialect, null))))
                .isInstanceOf(MakerException.class)
                .hasMessageStartingWith(dialect.makerType() + " maker: the ")
                .hasMessageContaining("call of turn 1 failed: HTTP 400 from POST " + server.url() + dialect.path())
                .hasMessageEndingWith(": invalid_request_error: model test-model does not exist");
        assertThat(server.received()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aMalformedAnswerIsAMakerErrorNamingTheProvider(Dialect dialect) {
        server.then("{\"id\": \"x\", \"choices\": [ this is not json");

        assertThatThrownBy(() -> maker(dialect).make(request(spec(dialect, null))))
                .isInstanceOf(MakerException.class)
                .hasMessageStartingWith(dialect.makerType() + " maker: "
                        + (dialect == Dialect.OPENAI ? "OpenAI" : "Anthropic")
                        + " gave an answer in turn 1 that the maker cannot read: ");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aSlowAnswerTimesOutAndIsRetriedUntilTheTriesRunOut(Dialect dialect) {
        server.then(Reply.ok(dialect.answer("too late", 1, 1)).delayedBy(Duration.ofSeconds(10)))
                .then(Reply.ok(dialect.answer("too late", 1, 1)).delayedBy(Duration.ofSeconds(10)));
        LlmMaker maker = maker(dialect);
        maker.config = LlmTestConfig.fast().withCallTimeout(Duration.ofMillis(300), 2);
        long start = System.nanoTime();

        assertThatThrownBy(() -> maker.make(request(spec(dialect, null))))
                .isInstanceOf(MakerException.class)
                .hasMessageContaining("no answer from POST " + server.url() + dialect.path() + " within 0.3s")
                .hasMessageEndingWith("(gave up after 2 tries)");
        // waiting for either answer would take 10 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        assertThat(server.received()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theRunTimeoutEndsARunWhoseCallsKeepTimingOut(Dialect dialect) {
        server.then(Reply.ok(dialect.answer("too late", 1, 1)).delayedBy(Duration.ofSeconds(5)));
        LlmMaker maker = maker(dialect);
        maker.config = LlmTestConfig.fast().withRunTimeout(Duration.ofMillis(500));

        assertThatThrownBy(() -> maker.make(request(spec(dialect, null))))
                .isInstanceOf(MakerException.class)
                .hasMessage(dialect.makerType() + " maker: ran out of time after 0 turns (run timeout 0.5s)");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void reportsTheTokensOfEveryAnswerWhenALaterCallFails(Dialect dialect) {
        server.then(dialect.toolCall("call_1", "list_files", args(), 40, 4))
                .then(dialect.toolCall("call_2", "read_file", args("path", "README.md"), 50, 5))
                .then(Reply.status(401, dialect.error("authentication_error", "invalid x-api-key"), Map.of()));

        assertThatThrownBy(() -> maker(dialect).make(request(spec(dialect, null))))
                .isInstanceOfSatisfying(
                        MakerException.class, e -> assertThat(e.usage()).isEqualTo(new Usage(90, 9)))
                .hasMessageContaining("turn 3 failed: HTTP 401");
        List<String> results = dialect.toolResults(server.received().get(2).json());
        assertThat(results).containsExactly("README.md", "# demo\n");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void stopsAtMaxTurnsWithoutAFinalAnswer(Dialect dialect) {
        server.then(dialect.toolCall("call_1", "list_files", args(), 1, 1))
                .then(dialect.toolCall("call_2", "list_files", args(), 1, 1));

        assertThatThrownBy(() -> maker(dialect).make(request(spec(dialect, 2))))
                .isInstanceOf(MakerException.class)
                .hasMessage(dialect.makerType() + " maker: gave no final answer within 2 turns (2 tool calls)");
        assertThat(server.received()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void stopsBeforeTheNextCallOnceTheTokensHeldForTheRunAreUsed(Dialect dialect) {
        server.then(dialect.toolCall("call_1", "list_files", args(), 900, 150));
        LoopSpec spec = spec(dialect, null).toBuilder()
                .budget(new LoopSpec.Budget(1000L, null, null))
                .build();

        assertThatThrownBy(() -> maker(dialect).make(request(spec)))
                .isInstanceOfSatisfying(
                        MakerException.class, e -> assertThat(e.usage()).isEqualTo(new Usage(900, 150)))
                .hasMessageContaining("used 1050 tokens after 1 turns, the 1000 held for the run");
        assertThat(server.received()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aHaltBetweenTurnsStopsTheRunBeforeTheNextCall(Dialect dialect) {
        server.then(dialect.toolCall("call_1", "list_files", args(), 30, 3)).then(dialect.answer("never asked", 1, 1));
        LlmMaker maker = maker(dialect);
        // halted once the first call has reached the server: the loop sees it after that call returns
        MakerRequest request = new MakerRequest(
                worktree, spec(dialect, null), "docs-loop", "t-1", 1, List.of(), () -> !server.received()
                        .isEmpty());

        assertThatThrownBy(() -> maker.make(request))
                .isInstanceOfSatisfying(
                        MakerException.class, e -> assertThat(e.usage()).isEqualTo(new Usage(30, 3)))
                .hasMessage(dialect.makerType() + " maker: stopped after 1 turns: the tick was halted");
        assertThat(server.received()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aHaltInterruptsARunningCommandAtOnce(Dialect dialect) throws Exception {
        AtomicBoolean halted = new AtomicBoolean();
        server.then(dialect.toolCall("call_1", "run_command", args("command", "sleep 30"), 30, 3));
        LlmMaker maker = maker(dialect);
        MakerRequest request =
                new MakerRequest(worktree, spec(dialect, null), "docs-loop", "t-1", 1, List.of(), halted::get);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread run = new Thread(() -> {
            try {
                maker.make(request);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        run.start();
        while (server.received().isEmpty()) {
            Thread.sleep(10);
        }
        Thread.sleep(300);
        long haltedAt = System.nanoTime();
        // what RunningTick.halt does: mark the tick, interrupt the maker's thread
        halted.set(true);
        run.interrupt();
        run.join(10_000);

        assertThat(run.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - haltedAt)).isLessThan(Duration.ofSeconds(5));
        assertThat(thrown.get())
                .isInstanceOf(MakerException.class)
                .hasMessage(dialect.makerType() + " maker: stopped after 1 turns: the tick was halted");
        assertThat(((MakerException) thrown.get()).usage()).isEqualTo(new Usage(30, 3));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aHaltEndsAModelCallInFlightAtOnce(Dialect dialect) throws Exception {
        AtomicBoolean halted = new AtomicBoolean();
        server.then(Reply.ok(dialect.answer("too late", 1, 1)).delayedBy(Duration.ofSeconds(20)));
        LlmMaker maker = maker(dialect);
        MakerRequest request =
                new MakerRequest(worktree, spec(dialect, null), "docs-loop", "t-1", 1, List.of(), halted::get);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread run = new Thread(() -> {
            try {
                maker.make(request);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        run.start();
        while (server.received().isEmpty()) {
            Thread.sleep(10);
        }
        long haltedAt = System.nanoTime();
        halted.set(true);
        run.interrupt();
        run.join(10_000);

        assertThat(run.isAlive()).isFalse();
        // the call's own timeout is 10 s and the answer would come after 20 s
        assertThat(Duration.ofNanos(System.nanoTime() - haltedAt)).isLessThan(Duration.ofSeconds(5));
        assertThat(thrown.get())
                .isInstanceOf(MakerException.class)
                .hasMessage(dialect.makerType() + " maker: stopped after 0 turns: the tick was halted");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theKeyIsRedactedFromToolResultsAndAKeyWrittenIntoTheWorktreeIsNotProposed(Dialect dialect) {
        server.then(dialect.toolCall("call_1", "write_file", args("path", "leak.txt", "content", "k=" + KEY), 1, 1))
                .then(dialect.toolCall("call_2", "read_file", args("path", "leak.txt"), 1, 1))
                .then(dialect.answer("leaked " + KEY, 1, 1));

        assertThatThrownBy(() -> maker(dialect).make(request(spec(dialect, null))))
                .isInstanceOf(MakerException.class)
                .hasMessage(dialect.makerType() + " maker: the API key was written into leak.txt; nothing is proposed");
        assertThat(dialect.toolResults(server.received().get(2).json()))
                .containsExactly("wrote leak.txt (" + (2 + KEY.length()) + " bytes)", "k=[redacted]");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void earlierAttemptsReflectionsAreInThePrompt(Dialect dialect) {
        server.then(dialect.answer("fixed", 1, 1));
        MakerRequest request = new MakerRequest(
                worktree, spec(dialect, null), "docs-loop", "t-1", 2, List.of("tests failed (exit 1)\nFAIL: notes"));

        maker(dialect).make(request);

        assertThat(server.received().get(0).body())
                .contains("Earlier attempts at this task were rejected")
                .contains("--- attempt 1 ---\\ntests failed (exit 1)\\nFAIL: notes");
    }

    private LlmMaker maker(Dialect dialect) {
        LlmMaker maker = dialect == Dialect.OPENAI ? new OpenAiMaker() : new AnthropicMaker();
        maker.config = LlmTestConfig.fast();
        maker.environment = Map.of(dialect == Dialect.OPENAI ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY", KEY)::get;
        return maker;
    }

    private LoopSpec spec(Dialect dialect, Integer maxTurns) {
        return spec(dialect, maxTurns, null);
    }

    private LoopSpec spec(Dialect dialect, Integer maxTurns, String apiKeyEnv) {
        return LoopSpec.builder(
                        "docs-loop",
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target("/nowhere", "main"))
                .task(TASK)
                .budget(new LoopSpec.Budget(100_000L, null, null))
                .maker(LlmSpecs.maker(dialect.makerType(), "test-model", dialect.baseUrl(server), apiKeyEnv, maxTurns))
                .build();
    }

    private MakerRequest request(LoopSpec spec) {
        return new MakerRequest(worktree, spec, "docs-loop", "t-1", 1, List.of());
    }
}
