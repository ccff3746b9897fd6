package dev.loopline.gate.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.loopline.gate.service.GateService;
import dev.loopline.gate.service.GitFixture;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.KafkaTestResource;
import dev.loopline.testsupport.KafkaTopics;
import dev.loopline.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The gate end to end on the real broker, against a real bare repository as the target. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(
        value = PostgresTestResource.class,
        restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = PostgresTestResource.DATABASE_ARG, value = "gate"))
@QuarkusTestResource(value = AuthStubTestResource.class, restrictToAnnotatedClass = false)
class VerdictConsumerTest {

    private static Optional<Event> decisionFor(List<ConsumerRecord<String, String>> records, String tickId) {
        return records.stream()
                .map(r -> decode(r.value()))
                .filter(e -> e.tickId().equals(tickId))
                .findFirst();
    }

    private static Event decode(String json) {
        try {
            return EventCodec.decode(json);
        } catch (Exception e) {
            throw new AssertionError("not a valid event: " + json, e);
        }
    }

    private static Event verdict(GitFixture repo, String tickId, ChangeVerified.Verdict verdict) throws Exception {
        String baseSha = repo.mainOnRemote();
        repo.write("docs/guide.md", "# Guide\n\nStep one.\nTick " + tickId + "\n");
        String diff = repo.stagedDiff();
        LoopSpec spec = LoopSpec.builder(
                        "docs-loop",
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target(repo.remote.toString(), "main"))
                .team("platform")
                .build();
        ChangeVerified data = new ChangeVerified(
                verdict,
                List.of("tests passed"),
                List.of(),
                null,
                "main",
                baseSha,
                diff,
                GateService.sha256(diff),
                700,
                spec);
        return Event.of(
                "guard-service", Instant.parse("2026-11-21T06:00:00Z"), "docs-loop", tickId, "platform", 2, data);
    }

    @Test
    void aVerdictOnTheVerdictsTopicBecomesADecisionOnTheDecisionsTopic() throws Exception {
        GitFixture repo = new GitFixture(Files.createTempDirectory("gate-it-"));
        Event verdict = verdict(repo, "20261121T060000Z-0badc0de", ChangeVerified.Verdict.ACCEPT);

        try (KafkaTopics.Reader decisions = KafkaTopics.read("loopline.decisions")) {
            KafkaTopics.send("loopline.verdicts", verdict.loopId(), EventCodec.encode(verdict));

            Event decided = await().atMost(Duration.ofSeconds(60))
                    .until(() -> decisionFor(decisions.poll(), verdict.tickId()), Optional::isPresent)
                    .orElseThrow();

            ChangeDecided data = decided.dataAs(ChangeDecided.class);
            assertThat(decided.source()).isEqualTo("gate-service");
            assertThat(decided.attempt()).isEqualTo(2);
            assertThat(decided.id()).isEqualTo(Event.deterministicId(verdict.tickId(), 2, EventType.CHANGE_DECIDED));
            assertThat(data.decision()).isEqualTo(ChangeDecided.Decision.AWAITING_APPROVAL);
            assertThat(data.branch()).isEqualTo("loopline/docs-loop/20261121T060000Z-0badc0de");
            assertThat(data.tickTokens()).isEqualTo(700);
            assertThat(repo.git.revParse(repo.remote, "refs/heads/" + data.branch()))
                    .isEqualTo(data.commit());
            assertThat(decisions.poll())
                    .filteredOn(r -> decode(r.value()).tickId().equals(verdict.tickId()))
                    .singleElement()
                    .extracting(ConsumerRecord::key)
                    .isEqualTo("docs-loop");
        }
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("loopline_gate_decisions_total{decision=\"awaiting-approval\""));
    }

    @Test
    void aMalformedVerdictIsDeadLetteredAndTheGateKeepsDeciding() throws Exception {
        GitFixture repo = new GitFixture(Files.createTempDirectory("gate-it-"));
        try (KafkaTopics.Reader deadLetters = KafkaTopics.read("loopline.dead-letters");
                KafkaTopics.Reader decisions = KafkaTopics.read("loopline.decisions")) {
            KafkaTopics.send("loopline.verdicts", "poison-loop", "{\"type\": 42");

            DeadLetter letter = await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> deadLetters.poll().stream()
                                    .filter(r -> "poison-loop".equals(r.key()))
                                    .map(r -> readDeadLetter(r.value()))
                                    .findFirst(),
                            Optional::isPresent)
                    .orElseThrow();
            assertThat(letter.service()).isEqualTo("gate-service");
            assertThat(letter.topic()).isEqualTo("loopline.verdicts");
            assertThat(letter.offset()).isGreaterThanOrEqualTo(0);
            assertThat(letter.reason()).startsWith("not valid JSON");
            assertThat(letter.payload()).isEqualTo("{\"type\": 42");

            Event escalate = verdict(repo, "20261121T070000Z-00c0ffee", ChangeVerified.Verdict.ESCALATE);
            KafkaTopics.send("loopline.verdicts", escalate.loopId(), EventCodec.encode(escalate));
            Event decided = await().atMost(Duration.ofSeconds(60))
                    .until(() -> decisionFor(decisions.poll(), escalate.tickId()), Optional::isPresent)
                    .orElseThrow();
            assertThat(decided.dataAs(ChangeDecided.class).decision()).isEqualTo(ChangeDecided.Decision.ESCALATED);
            assertThat(decided.dataAs(ChangeDecided.class).reason()).isEqualTo("tests passed");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP")));
    }

    @Test
    void apiRequestsWithoutTheTokenAreUnauthorized() {
        given().when()
                .get("/api/v1/approvals")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401));
    }

    private static DeadLetter readDeadLetter(String json) {
        try {
            return Json.mapper().readValue(json, DeadLetter.class);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
