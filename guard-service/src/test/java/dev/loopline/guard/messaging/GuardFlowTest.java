package dev.loopline.guard.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.loopline.core.io.GitMirror;
import dev.loopline.guard.config.GuardConfig;
import dev.loopline.guard.service.TestRepo;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.KafkaTestClient;
import dev.loopline.testsupport.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
class GuardFlowTest {

    /** Every test reason names the sandbox the command ran in: bubblewrap, installed by ./loopline test. */
    static final String SANDBOXED =
            " (sandbox: bubblewrap — no network, read-only outside the checkout, no credentials)";

    private static final String LOOP = "docs-loop";

    @ConfigProperty(name = "mp.messaging.incoming." + GuardChannels.PROPOSALS + ".topic")
    String proposalsTopic;

    @ConfigProperty(name = "mp.messaging.outgoing." + GuardChannels.VERDICTS + ".topic")
    String verdictsTopic;

    @ConfigProperty(name = "mp.messaging.outgoing." + GuardChannels.DEAD_LETTERS + ".topic")
    String deadLettersTopic;

    @Inject
    GuardConfig config;

    @Inject
    GitMirror mirrors;

    @Test
    void acceptsAProposalWhoseTestsPass() throws IOException {
        String tickId = newTickId();

        KafkaTestClient.send(proposalsTopic, proposal(tickId, "grep -q world hello.txt", null));

        Event event = KafkaTestClient.awaitEvent(verdictsTopic, tickId, EventType.CHANGE_VERIFIED.wireName());
        ChangeVerified verified = event.dataAs(ChangeVerified.class);
        assertThat(event.attempt()).isEqualTo(1);
        assertThat(event.source()).isEqualTo("guard-service");
        assertThat(verified.verdict()).isEqualTo(ChangeVerified.Verdict.ACCEPT);
        assertThat(verified.test().command()).isEqualTo("grep -q world hello.txt");
        assertThat(verified.tickTokens()).isEqualTo(9);
        try (Stream<Path> left = Files.list(config.workDir().resolve("worktrees"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theGatesReverificationOfAnApprovedChangeIsVerifiedAndKeepsItsApprovalIdAndAnIdOfItsOwn() throws IOException {
        String tickId = newTickId();
        Event original = proposal(tickId, "grep -q world hello.txt", null);
        ChangeProposed p = original.dataAs(ChangeProposed.class);
        ChangeProposed again = new ChangeProposed(
                p.baseRef(),
                p.baseSha(),
                p.diff(),
                p.diffSha256(),
                List.of(),
                "re-verification",
                p.maker(),
                Usage.NONE,
                p.tickTokens(),
                p.spec(),
                null,
                "apr-0123456789abcdef");

        KafkaTestClient.send(
                proposalsTopic,
                Event.keyed("gate-service", Instant.now(), LOOP, tickId, "default", 1, again, "approval/r1"));

        Event event = KafkaTestClient.awaitEvent(verdictsTopic, tickId, EventType.CHANGE_VERIFIED.wireName());
        ChangeVerified verified = event.dataAs(ChangeVerified.class);
        assertThat(verified.verdict()).isEqualTo(ChangeVerified.Verdict.ACCEPT);
        assertThat(verified.approvalId()).isEqualTo("apr-0123456789abcdef");
        assertThat(event.id())
                .as("not the id of the tick's own verdict, which consumers would drop as a duplicate")
                .isNotEqualTo(Event.deterministicId(tickId, 1, EventType.CHANGE_VERIFIED));
    }

    @Test
    void rejectsAProposalWhoseTestsFail() throws IOException {
        String tickId = newTickId();

        KafkaTestClient.send(proposalsTopic, proposal(tickId, "echo nope; exit 4", null));

        ChangeVerified verified = KafkaTestClient.awaitEvent(
                        verdictsTopic, tickId, EventType.CHANGE_VERIFIED.wireName())
                .dataAs(ChangeVerified.class);
        assertThat(verified.verdict()).isEqualTo(ChangeVerified.Verdict.REJECT);
        assertThat(verified.reasons()).containsExactly("tests failed (exit 4)" + SANDBOXED);
        assertThat(verified.test().outputTail()).isEqualTo("nope\n");
    }

    @Test
    void rejectsAProposalWhoseTestsTimeOut() throws IOException {
        String tickId = newTickId();

        KafkaTestClient.send(proposalsTopic, proposal(tickId, "sleep 39; true", 1));

        ChangeVerified verified = KafkaTestClient.awaitEvent(
                        verdictsTopic, tickId, EventType.CHANGE_VERIFIED.wireName())
                .dataAs(ChangeVerified.class);
        assertThat(verified.verdict()).isEqualTo(ChangeVerified.Verdict.REJECT);
        assertThat(verified.reasons()).containsExactly("tests timed out after 1s" + SANDBOXED);
        assertThat(verified.test().timedOut()).isTrue();
    }

    @Test
    void escalatesAProposalWhoseDiffDeletesATestThoughTheRemainingTestsPass() throws IOException {
        String tickId = newTickId();
        TestRepo repo = TestRepo.create(Files.createTempDirectory("guard-flow-source"))
                .write("hello.txt", "hello\n")
                .write("tests/test_hello.py", "def test_hello():\n    assert open('hello.txt').read() == 'hello\\n'\n");
        String baseSha = repo.commit("initial");
        Files.delete(repo.dir().resolve("tests/test_hello.py"));
        repo.write("hello.txt", "goodbye\n");

        KafkaTestClient.send(proposalsTopic, proposal(tickId, repo, baseSha, "grep -q bye hello.txt", null));

        ChangeVerified verified = KafkaTestClient.awaitEvent(
                        verdictsTopic, tickId, EventType.CHANGE_VERIFIED.wireName())
                .dataAs(ChangeVerified.class);
        assertThat(verified.verdict()).isEqualTo(ChangeVerified.Verdict.ESCALATE);
        assertThat(verified.reasons())
                .containsExactly(
                        "tests passed" + SANDBOXED, "test-file-deleted: a test file was deleted (tests/test_hello.py)");
        assertThat(verified.findings()).extracting(Finding::ruleId).containsExactly("test-file-deleted");
        assertThat(verified.test().exitCode()).isZero();
    }

    @Test
    void escalatesAProposalWithAGuardedTestCommandWithoutRunningIt() throws IOException {
        String tickId = newTickId();
        Path marker = Files.createTempDirectory("guard-flow-marker").resolve("ran");

        KafkaTestClient.send(proposalsTopic, proposal(tickId, "touch " + marker + "; rm -rf /", null));

        ChangeVerified verified = KafkaTestClient.awaitEvent(
                        verdictsTopic, tickId, EventType.CHANGE_VERIFIED.wireName())
                .dataAs(ChangeVerified.class);
        assertThat(verified.verdict()).isEqualTo(ChangeVerified.Verdict.ESCALATE);
        assertThat(verified.reasons())
                .singleElement()
                .asString()
                .startsWith("test command blocked by rule fs-recursive-delete: ")
                .endsWith("(rm -rf /)");
        assertThat(verified.test()).isNull();
        assertThat(marker).doesNotExist();
    }

    @Test
    void aProposalWhoseCheckoutCannotBeCreatedIsRetriedThenAnsweredWithAnErrorVerdict() throws IOException {
        String tickId = newTickId();
        Event proposal = proposal(tickId, "true", null);
        // the fault: the mirror's worktree records cannot be written (a full or broken disk), while fetching works
        Path worktreeRecords = mirrors.sync(
                        proposal.dataAs(ChangeProposed.class).spec().target().repo())
                .resolve("worktrees");
        deleteTree(worktreeRecords);
        Files.writeString(worktreeRecords, "not a directory");

        KafkaTestClient.send(proposalsTopic, proposal);

        Event event = KafkaTestClient.awaitEvent(verdictsTopic, tickId, EventType.CHANGE_VERIFIED.wireName());
        ChangeVerified verified = event.dataAs(ChangeVerified.class);
        assertThat(verified.verdict()).isEqualTo(ChangeVerified.Verdict.ERROR);
        assertThat(verified.reasons())
                .singleElement()
                .asString()
                .startsWith("guard-service could not handle loopline.change.proposed after 3 attempts: ")
                .contains("worktree");
        assertThat(verified.test()).isNull();
        assertThat(verified.diffSha256())
                .isEqualTo(proposal.dataAs(ChangeProposed.class).diffSha256());
        assertThat(event.attempt()).isEqualTo(1);
    }

    @Test
    void deadLettersAProposalThatIsNotAValidEvent() throws IOException {
        String marker = UUID.randomUUID().toString();
        String invalid = "{\"id\":\"" + marker + "\"}";

        KafkaTestClient.send(proposalsTopic, LOOP, invalid);

        ConsumerRecord<String, String> record =
                KafkaTestClient.awaitRecord(deadLettersTopic, r -> r.value().contains(marker));
        DeadLetter dead = Json.mapper().readValue(record.value(), DeadLetter.class);
        assertThat(dead.service()).isEqualTo("guard-service");
        assertThat(dead.topic()).isEqualTo(proposalsTopic);
        assertThat(dead.reason()).startsWith("invalid event envelope");
        assertThat(dead.payload()).isEqualTo(invalid);
    }

    @Test
    void infoShowsTheTestTimeoutCapToAnAuthenticatedCaller() {
        RestAssured.given()
                .header("Authorization", "Bearer test-token")
                .get("/api/v1/guard/info")
                .then()
                .statusCode(200)
                .body("maxTestTimeoutSeconds", equalTo(1800))
                .body("scanners", containsInAnyOrder("integrity", "injection"));
    }

    @Test
    void infoRefusesACallerWithoutTheToken() {
        RestAssured.given()
                .header("Authorization", "Bearer wrong")
                .get("/api/v1/guard/info")
                .then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String newTickId() {
        return "tick-" + UUID.randomUUID();
    }

    /** A proposal appending "world" to hello.txt in a fresh repository. */
    private static Event proposal(String tickId, String testCommand, Integer timeoutSeconds) throws IOException {
        TestRepo repo =
                TestRepo.create(Files.createTempDirectory("guard-flow-source")).write("hello.txt", "hello\n");
        String baseSha = repo.commit("initial");
        repo.write("hello.txt", "hello\nworld\n");
        return proposal(tickId, repo, baseSha, testCommand, timeoutSeconds);
    }

    /** A proposal of the uncommitted changes in {@code repo} against {@code baseSha}. */
    private static Event proposal(
            String tickId, TestRepo repo, String baseSha, String testCommand, Integer timeoutSeconds) {
        String diff = repo.diffAndReset();
        LoopSpec spec = LoopSpec.builder(
                        LOOP,
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target(repo.dir().toString(), "main"))
                .test(new LoopSpec.Test(testCommand, timeoutSeconds))
                .maker(new LoopSpec.Maker("mock", null, null, List.of(), null))
                .build();
        ChangeProposed proposed = new ChangeProposed(
                "main",
                baseSha,
                diff,
                GitMirror.sha256Hex(diff),
                List.of("hello.txt"),
                "append world",
                new ChangeProposed.MakerInfo("mock", null),
                new Usage(0, 9),
                9,
                spec);
        return Event.of("agent-service", Instant.now(), LOOP, tickId, "default", 1, proposed);
    }
}
