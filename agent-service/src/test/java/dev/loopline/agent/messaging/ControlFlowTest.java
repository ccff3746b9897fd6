package dev.loopline.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.loopline.agent.config.AgentConfig;
import dev.loopline.agent.service.MakerFaults;
import dev.loopline.agent.service.MockMaker;
import dev.loopline.agent.service.TestRepo;
import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlCodec;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.KafkaTestClient;
import dev.loopline.testsupport.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Kill switches on the control topic halt ticks: before they start, while they run, and after a restart. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(
        value = KillBeforeStartResource.class,
        restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "topic", value = ControlFlowTest.CONTROL_TOPIC))
class ControlFlowTest {

    /** The topic KillBeforeStartResource publishes to before the application starts; must be the configured one. */
    static final String CONTROL_TOPIC = "loopline.control";

    private static final String SPEC_HASH = "a".repeat(64);

    @ConfigProperty(name = "loopline.agent.control-topic")
    String controlTopic;

    @ConfigProperty(name = "mp.messaging.incoming." + AgentChannels.TICKS + ".topic")
    String ticksTopic;

    @ConfigProperty(name = "mp.messaging.outgoing." + AgentChannels.PROPOSALS + ".topic")
    String proposalsTopic;

    @ConfigProperty(name = "mp.messaging.outgoing." + AgentChannels.COMPLETIONS + ".topic")
    String completionsTopic;

    @ConfigProperty(name = "mp.messaging.outgoing." + AgentChannels.DEAD_LETTERS + ".topic")
    String deadLettersTopic;

    @Inject
    AgentConfig config;

    @Test
    void aKillPublishedWhileTheAgentWasDownIsHonouredWhenItStarts() throws IOException {
        assertThat(controlTopic).isEqualTo(CONTROL_TOPIC);
        TestRepo repo = sourceRepo();
        repo.commit("initial");
        String killedTick = newTickId();
        String otherTick = newTickId();

        KafkaTestClient.send(ticksTopic, tick(KillBeforeStartResource.LOOP, killedTick, mockSpec(repo)));
        KafkaTestClient.send(ticksTopic, tick("runs-normally", otherTick, mockSpec(repo)));

        TickCompleted done = completion(killedTick);
        assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.HALTED);
        assertThat(done.halt()).isEqualTo(TickCompleted.Halt.KILL_SWITCH);
        assertThat(done.reason())
                .startsWith("kill switch loop:killed-before-start set by alice-on-call at ")
                .endsWith(": killed while the agent was down");
        assertThat(done.attempts()).isZero();
        assertThat(done.tokens()).isZero();
        Event proposed = KafkaTestClient.awaitEvent(proposalsTopic, otherTick, EventType.CHANGE_PROPOSED.wireName());
        assertThat(proposed.dataAs(ChangeProposed.class).files()).containsExactly("NOTES.md");
        assertThat(KafkaTestClient.recordsContaining(proposalsTopic, killedTick))
                .isEmpty();
    }

    @Test
    void aRunningShellMakerIsStoppedByAKillOfItsLoopAndLeavesNoProcessNorWorktree() throws IOException {
        String loop = "long-runner-" + shortId();
        TestRepo repo = sourceRepo();
        repo.commit("initial");
        String tickId = newTickId();
        String sleep = "sleep " + (4000 + (int) (Math.random() * 1000));
        LoopSpec spec =
                withMaker(mockSpec(repo), new LoopSpec.Maker("shell", null, "touch started && " + sleep, null, null));
        Path worktree = config.workDir().resolve("worktrees").resolve(tickId + "-1");

        KafkaTestClient.send(ticksTopic, tick(loop, tickId, spec));
        await().atMost(KafkaTestClient.TIMEOUT).until(() -> Files.exists(worktree.resolve("started")));
        assertThat(makerProcesses(sleep)).isNotEmpty();
        Instant killedAt = Instant.now();
        kill(ControlScope.LOOP, loop, KillSwitch.State.KILLED, "maker runs away", "bob");

        TickCompleted done = completion(tickId);
        Duration haltedWithin = Duration.between(killedAt, Instant.now());
        assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.HALTED);
        assertThat(done.halt()).isEqualTo(TickCompleted.Halt.KILL_SWITCH);
        assertThat(done.reason())
                .startsWith("kill switch loop:" + loop + " set by bob at ")
                .endsWith(": maker runs away");
        assertThat(done.attempts()).isEqualTo(1);
        // the command sleeps for over an hour: a completion at all means it was stopped, not waited for
        System.out.printf("running tick halted %d ms after the kill was published%n", haltedWithin.toMillis());
        assertThat(makerProcesses(sleep)).isEmpty();
        assertThat(worktree).doesNotExist();
        assertThat(KafkaTestClient.recordsContaining(proposalsTopic, tickId)).isEmpty();
    }

    @Test
    void aBudgetHaltOfTheLoopStopsItsTicksUntilTheDayResets() throws IOException {
        String loop = "spent-" + shortId();
        TestRepo repo = sourceRepo();
        repo.commit("initial");
        Instant now = Instant.now();
        BudgetAlert halt = new BudgetAlert(
                BudgetAlert.SCOPE,
                ControlScope.LOOP,
                loop,
                LocalDate.now(ZoneOffset.UTC),
                BudgetAlert.Action.HALT,
                100,
                5_000,
                5_000,
                now.plus(Duration.ofDays(1)),
                now);
        int before = recordsInForce();
        KafkaTestClient.send(controlTopic, halt.key(), ControlCodec.encode(halt));
        // a new key: once the board holds one more record, the agent has read the halt
        await().atMost(KafkaTestClient.TIMEOUT).until(() -> recordsInForce() > before);
        String tickId = newTickId();

        KafkaTestClient.send(ticksTopic, tick(loop, tickId, mockSpec(repo)));

        TickCompleted done = completion(tickId);
        assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.HALTED);
        assertThat(done.halt()).isEqualTo(TickCompleted.Halt.BUDGET);
        assertThat(done.reason())
                .startsWith("budget halt: loop:" + loop + " used 5000 of its 5000-token daily cap (100 %) on ");
        assertThat(KafkaTestClient.recordsContaining(proposalsTopic, tickId)).isEmpty();
    }

    @Test
    void aResumedLoopRunsAgain() throws IOException {
        String loop = "resumed-" + shortId();
        TestRepo repo = sourceRepo();
        repo.commit("initial");
        kill(ControlScope.LOOP, loop, KillSwitch.State.KILLED, "pause it", "carol");
        String haltedTick = newTickId();
        KafkaTestClient.send(ticksTopic, tick(loop, haltedTick, mockSpec(repo)));
        assertThat(completion(haltedTick).reason()).startsWith("kill switch loop:" + loop + " set by carol");

        kill(ControlScope.LOOP, loop, KillSwitch.State.RESUMED, "go on", "carol");
        String resumedTick = newTickId();
        // the resume and the tick travel on different topics: a tick may still see the kill until the resume is read
        await().atMost(KafkaTestClient.TIMEOUT).until(() -> {
            KafkaTestClient.send(ticksTopic, tick(loop, resumedTick, mockSpec(repo)));
            return !KafkaTestClient.recordsContaining(proposalsTopic, resumedTick)
                    .isEmpty();
        });

        Event proposed = KafkaTestClient.awaitEvent(proposalsTopic, resumedTick, EventType.CHANGE_PROPOSED.wireName());
        assertThat(proposed.loopId()).isEqualTo(loop);
    }

    @Test
    void aPoisonControlRecordIsDeadLetteredAndTheAgentStaysHealthyAndObedient() throws IOException {
        String marker = UUID.randomUUID().toString();
        String poisonKey = "loop:poison-" + shortId();
        KafkaTestClient.send(
                controlTopic, poisonKey, "{\"scope\":\"loop\",\"state\":\"maybe\",\"note\":\"" + marker + "\"}");
        String loop = "after-poison-" + shortId();
        kill(ControlScope.LOOP, loop, KillSwitch.State.KILLED, "still obeyed", "dave");

        ConsumerRecord<String, String> record =
                KafkaTestClient.awaitRecord(deadLettersTopic, r -> r.value().contains(marker));
        DeadLetter dead = Json.mapper().readValue(record.value(), DeadLetter.class);
        assertThat(dead.service()).isEqualTo("agent-service");
        assertThat(dead.topic()).isEqualTo(controlTopic);
        assertThat(dead.key()).isEqualTo(poisonKey);
        assertThat(dead.reason()).startsWith("invalid control record: ").contains("$.state");
        RestAssured.given()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("control-topic"));
        TestRepo repo = sourceRepo();
        repo.commit("initial");
        String tickId = newTickId();
        await().atMost(KafkaTestClient.TIMEOUT).until(() -> {
            KafkaTestClient.send(ticksTopic, tick(loop, tickId, mockSpec(repo)));
            return !KafkaTestClient.recordsContaining(completionsTopic, tickId).isEmpty();
        });
        assertThat(completion(tickId).reason()).startsWith("kill switch loop:" + loop + " set by dave");
    }

    @Test
    void anUnexpectedFailureOfTheHandlerEndsTheTickWithAnErrorInsteadOfDeadLetteringIt() throws IOException {
        TestRepo repo = sourceRepo();
        repo.commit("initial");
        String tickId = newTickId();
        LoopSpec spec =
                withMaker(mockSpec(repo), new LoopSpec.Maker(MockMaker.TYPE, MakerFaults.EXPLODING, null, null, null));

        KafkaTestClient.send(ticksTopic, tick("buggy-" + shortId(), tickId, spec));

        TickCompleted done = completion(tickId);
        assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.ERROR);
        assertThat(done.reason())
                .isEqualTo("agent-service could not handle loopline.tick.triggered after 1 attempt: "
                        + "maker bug: index 3 out of bounds for length 3");
        assertThat(KafkaTestClient.recordsContaining(deadLettersTopic, tickId)).isEmpty();
        try (Stream<Path> left = Files.list(config.workDir().resolve("worktrees"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(tickId));
        }
    }

    private static int recordsInForce() {
        return RestAssured.given()
                .get("/q/health/ready")
                .then()
                .extract()
                .jsonPath()
                .getInt("checks.find { it.name == 'control-topic' }.data.recordsInForce");
    }

    private void kill(ControlScope scope, String id, KillSwitch.State state, String reason, String by) {
        KillSwitch record = new KillSwitch(scope, id, state, reason, by, Instant.now());
        KafkaTestClient.send(controlTopic, record.key(), ControlCodec.encode(record));
    }

    private TickCompleted completion(String tickId) {
        return KafkaTestClient.awaitEvent(completionsTopic, tickId, EventType.TICK_COMPLETED.wireName())
                .dataAs(TickCompleted.class);
    }

    /** Shell makers of this JVM whose command line contains {@code command}. */
    private static List<ProcessHandle> makerProcesses(String command) {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(command))
                .toList();
    }

    /** Every record of {@code topic} up to its current end whose value mentions {@code text}. */
    private static TestRepo sourceRepo() throws IOException {
        return TestRepo.create(Files.createTempDirectory("control-flow-source")).write("README.md", "# demo\n");
    }

    private static String newTickId() {
        return "tick-" + UUID.randomUUID();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static Event tick(String loop, String tickId, LoopSpec spec) {
        return Event.of(
                "test",
                Instant.now(),
                loop,
                tickId,
                "default",
                0,
                new TickTriggered(TickTriggered.Trigger.manual("test"), SPEC_HASH, withId(spec, loop)));
    }

    private static LoopSpec mockSpec(TestRepo repo) {
        return LoopSpec.builder(
                        "placeholder",
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target(repo.dir().toString(), "main"))
                .maker(new LoopSpec.Maker(
                        "mock",
                        null,
                        null,
                        List.of(new LoopSpec.Edit("NOTES.md", "made by tick {{tick}} of {{loop}}\n", null, null)),
                        5))
                .build();
    }

    private static LoopSpec withId(LoopSpec s, String id) {
        return s.toBuilder().id(id).build();
    }

    private static LoopSpec withMaker(LoopSpec s, LoopSpec.Maker maker) {
        return s.toBuilder().maker(maker).build();
    }
}
