package dev.loopline.gate.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.loopline.gate.service.GateService;
import dev.loopline.gate.service.GitFixture;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.KafkaTestClient;
import dev.loopline.testsupport.KafkaTestResource;
import dev.loopline.testsupport.KafkaTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The gate honours the control topic: no push under a halt, L1 behaviour under report-only. Real broker and git. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = ControlBeforeStartResource.class, restrictToAnnotatedClass = false)
class ControlGateTest {

    @ConfigProperty(name = "loopline.gate.control-topic")
    String controlTopic;

    @Test
    void anAcceptedChangeOfAKilledLoopIsNeitherPushedNorMergedAndTheDecisionSaysWhy() throws Exception {
        assertThat(controlTopic).isEqualTo(ControlBeforeStartResource.TOPIC);
        GitFixture repo = new GitFixture(Files.createTempDirectory("gate-control-"));
        String tickId = "tick-" + UUID.randomUUID();
        Event verdict = accepted(repo, ControlBeforeStartResource.KILLED_LOOP, tickId, LoopSpec.Level.L3);

        ChangeDecided decided = decide(verdict);

        assertThat(decided.decision()).isEqualTo(ChangeDecided.Decision.HALTED);
        assertThat(decided.halt()).isEqualTo(TickCompleted.Halt.KILL_SWITCH);
        assertThat(decided.reason())
                .startsWith("kill switch loop:gate-killed set by erin at ")
                .endsWith(": bad merges; nothing pushed");
        assertThat(decided.branch()).isNull();
        assertThat(decided.commit()).isNull();
        assertThat(branchExists(repo, GateService.branchFor(ControlBeforeStartResource.KILLED_LOOP, tickId)))
                .isFalse();
        assertThat(repo.mainOnRemote())
                .isEqualTo(verdict.dataAs(ChangeVerified.class).baseSha());
    }

    @Test
    void anAcceptedChangeOfAReportOnlyLoopIsReportedAsAtL1WithoutPush() throws Exception {
        GitFixture repo = new GitFixture(Files.createTempDirectory("gate-control-"));
        String tickId = "tick-" + UUID.randomUUID();
        Event verdict = accepted(repo, ControlBeforeStartResource.REPORT_ONLY_LOOP, tickId, LoopSpec.Level.L2);

        ChangeDecided decided = decide(verdict);

        assertThat(decided.decision()).isEqualTo(ChangeDecided.Decision.REPORTED);
        assertThat(decided.reason())
                .startsWith("report-only (budget report-only: loop:gate-report-only used 800 of its 1000-token"
                        + " daily cap (80 %)")
                .endsWith("): reported as at L1; nothing pushed");
        assertThat(decided.branch()).isNull();
        assertThat(branchExists(repo, GateService.branchFor(ControlBeforeStartResource.REPORT_ONLY_LOOP, tickId)))
                .isFalse();
    }

    @Test
    void aPoisonControlRecordIsDeadLetteredAndTheGateStaysReady() throws Exception {
        String marker = UUID.randomUUID().toString();
        String key = "team:poison-" + marker.substring(0, 8);
        try (KafkaTopics.Reader deadLetters = KafkaTopics.read("loopline.dead-letters")) {
            KafkaTopics.send(controlTopic, key, "[\"" + marker + "\"]");

            DeadLetter letter = await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> deadLetters.poll().stream()
                                    .filter(r -> key.equals(r.key()))
                                    .map(r -> readDeadLetter(r.value()))
                                    .findFirst(),
                            Optional::isPresent)
                    .orElseThrow();
            assertThat(letter.service()).isEqualTo("gate-service");
            assertThat(letter.topic()).isEqualTo(controlTopic);
            assertThat(letter.reason()).isEqualTo("a control record must be a JSON object");
        }
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("control-topic"));
    }

    private static ChangeDecided decide(Event verdict) throws Exception {
        try (KafkaTopics.Reader decisions = KafkaTopics.read("loopline.decisions")) {
            KafkaTopics.send("loopline.verdicts", verdict.loopId(), EventCodec.encode(verdict));
            return await().atMost(Duration.ofSeconds(60))
                    .until(() -> decisionFor(decisions.poll(), verdict.tickId()), Optional::isPresent)
                    .orElseThrow()
                    .dataAs(ChangeDecided.class);
        }
    }

    private static boolean branchExists(GitFixture repo, String branch) {
        return repo.git
                        .tryRun(repo.remote, Map.of(), null, "rev-parse", "--verify", "--quiet", "refs/heads/" + branch)
                        .exitCode()
                == 0;
    }

    private static Event accepted(GitFixture repo, String loop, String tickId, LoopSpec.Level level) throws Exception {
        String baseSha = repo.mainOnRemote();
        repo.write("docs/guide.md", "# Guide\n\nStep one.\nTick " + tickId + "\n");
        String diff = repo.stagedDiff();
        LoopSpec spec = LoopSpec.builder(
                        loop, LoopSpec.Kind.ASSISTED_FIX, level, new LoopSpec.Target(repo.remote.toString(), "main"))
                .team("gate-control-team")
                .allowlist(
                        level == LoopSpec.Level.L3
                                ? new LoopSpec.Allowlist(List.of("docs/**"), null, null, null)
                                : null)
                .build();
        ChangeVerified data = new ChangeVerified(
                ChangeVerified.Verdict.ACCEPT,
                List.of("tests passed"),
                List.of(),
                null,
                "main",
                baseSha,
                diff,
                GateService.sha256(diff),
                300,
                spec);
        return Event.of("guard-service", Instant.now(), loop, tickId, "gate-control-team", 1, data);
    }

    private static Optional<Event> decisionFor(List<ConsumerRecord<String, String>> records, String tickId) {
        return records.stream()
                .map(r -> KafkaTestClient.decodeOrNull(r.value()))
                .filter(e -> e != null && e.tickId().equals(tickId))
                .findFirst();
    }

    private static DeadLetter readDeadLetter(String json) {
        try {
            return Json.mapper().readValue(json, DeadLetter.class);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
