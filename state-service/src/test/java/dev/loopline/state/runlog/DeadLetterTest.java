package dev.loopline.state.runlog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.json.Json;
import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Poison messages go to the dead-letter topic with their reason; the service and the partition go on. */
@QuarkusTest
class DeadLetterTest {

    @Test
    void malformedJsonIsDeadLetteredAndTheNextEventIsStillRecorded() throws Exception {
        String loopId = TickEvents.newLoopId();
        String topic = TestKafka.tickTopics().get(0);
        String payload = "{not json " + loopId;

        try (TestKafka.TopicReader deadLetters = new TestKafka.TopicReader(TestKafka.deadLetterTopic())) {
            TestKafka.sendRaw(topic, loopId, payload);
            // the same key, so the same partition: it is consumed only after the poison message
            String tickId = TickEvents.newTickId();
            TestKafka.send(TickEvents.mergedTick(loopId, "platform", tickId, Instant.now())
                    .get(0));

            JsonNode deadLetter = awaitDeadLetter(deadLetters, payload);
            assertThat(deadLetter.get("service").asText()).isEqualTo("state-service");
            assertThat(deadLetter.get("topic").asText()).isEqualTo(topic);
            assertThat(deadLetter.get("key").asText()).isEqualTo(loopId);
            assertThat(deadLetter.get("reason").asText()).startsWith("not valid JSON");
            assertThat(deadLetter.get("offset").asLong()).isGreaterThanOrEqualTo(0L);
            assertThat(Instant.parse(deadLetter.get("time").asText()))
                    .isBefore(Instant.now().plusSeconds(1));

            JsonPath tick = StateApi.awaitTick(tickId, t -> t.getInt("timeline.size()") == 1);
            assertThat(tick.getString("loopId")).isEqualTo(loopId);
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void schemaInvalidEventIsDeadLetteredWithTheFieldNamed() throws Exception {
        String loopId = TickEvents.newLoopId();
        Event valid = TickEvents.mergedTick(loopId, "platform", TickEvents.newTickId(), Instant.now())
                .get(1);
        // a proposal whose diff is a number instead of a string
        String payload = EventCodec.encode(valid).replace("\"diff\":\"", "\"diff\":42,\"was\":\"");
        assertThat(payload).contains("\"diff\":42");
        String topic = TestKafka.topicOf(valid);

        try (TestKafka.TopicReader deadLetters = new TestKafka.TopicReader(TestKafka.deadLetterTopic())) {
            TestKafka.sendRaw(topic, loopId, payload);
            String tickId = TickEvents.newTickId();
            TestKafka.send(TickEvents.mergedTick(loopId, "platform", tickId, Instant.now())
                    .get(1));

            JsonNode deadLetter = awaitDeadLetter(deadLetters, payload);
            assertThat(deadLetter.get("reason").asText())
                    .startsWith("invalid loopline.change.proposed data")
                    .contains("$.data.diff");
            StateApi.awaitTick(tickId, t -> t.getInt("timeline.size()") == 1);
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void eventTheStoreRefusesIsDeadLetteredAndTheEventsAroundItAreRecorded() throws Exception {
        String loopId = TickEvents.newLoopId();
        Instant now = Instant.now();
        String before = TickEvents.newTickId();
        String poison = TickEvents.newTickId();
        String after = TickEvents.newTickId();
        // valid for the schema, refused by Postgres (no NUL in text or jsonb): a store error caused by the message
        Event refused = TickEvents.event(
                loopId,
                "platform",
                poison,
                now,
                1,
                new TickCompleted(TickCompleted.Outcome.NO_OP, 10, 1, "nul\0byte", null, null));
        String payload = EventCodec.encode(refused);

        try (TestKafka.TopicReader deadLetters = new TestKafka.TopicReader(TestKafka.deadLetterTopic())) {
            // one key and one topic, so one partition, consumed in this order (often in one batch)
            TestKafka.send(completed(loopId, before, now));
            TestKafka.sendRaw(TestKafka.topicOf(refused), loopId, payload);
            TestKafka.send(completed(loopId, after, now));

            JsonNode deadLetter = awaitDeadLetter(deadLetters, payload);
            assertThat(deadLetter.get("reason").asText())
                    .startsWith("cannot record loopline.tick.completed " + refused.id());
            assertThat(StateApi.awaitTick(before, t -> t.getInt("timeline.size()") == 1)
                            .getString("outcome"))
                    .isEqualTo("no-op");
            assertThat(StateApi.awaitTick(after, t -> t.getInt("timeline.size()") == 1)
                            .getString("outcome"))
                    .isEqualTo("no-op");
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    private static Event completed(String loopId, String tickId, Instant time) {
        return TickEvents.event(
                loopId,
                "platform",
                tickId,
                time,
                1,
                new TickCompleted(TickCompleted.Outcome.NO_OP, 10, 1, "nothing to do", null, null));
    }

    @Test
    void deadLettersAreListedNewestFirst() {
        String loopId = TickEvents.newLoopId();
        String payload = "[\"an array, not an event\", \"" + loopId + "\"]";
        TestKafka.sendRaw(TestKafka.tickTopics().get(4), loopId, payload);

        JsonPath listed = await().atMost(StateApi.TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> given().auth()
                                .oauth2(StateApi.TOKEN)
                                .queryParam("limit", 200)
                                .get("/api/v1/dead-letters")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        l -> l.getList("payload", String.class).contains(payload));
        int index = listed.getList("payload", String.class).indexOf(payload);
        assertThat(listed.getString("[" + index + "].reason")).isEqualTo("an event must be a JSON object");
        assertThat(listed.getString("[" + index + "].key")).isEqualTo(loopId);
        assertThat(listed.getString("[" + index + "].topic"))
                .isEqualTo(TestKafka.tickTopics().get(4));
        List<Instant> times = listed.getList("time", String.class).stream()
                .map(Instant::parse)
                .toList();
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(Instant.parse(listed.getString("[" + index + "].time")))
                .isAfter(Instant.now().minus(5, ChronoUnit.MINUTES));
    }

    private static JsonNode awaitDeadLetter(TestKafka.TopicReader reader, String payload) {
        return await().atMost(StateApi.TIMEOUT)
                .until(() -> find(reader.poll(), payload), Optional::isPresent)
                .orElseThrow();
    }

    private static Optional<JsonNode> find(List<ConsumerRecord<String, String>> records, String payload)
            throws Exception {
        for (ConsumerRecord<String, String> record : records) {
            JsonNode node = Json.mapper().readTree(record.value());
            if (payload.equals(node.path("payload").asText())) {
                return Optional.of(node);
            }
        }
        return Optional.empty();
    }
}
