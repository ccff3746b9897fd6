package dev.loopline.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.json.SchemaValidator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

    static Stream<Event> everyEventType() {
        return SampleEvents.all().stream();
    }

    @Test
    void samplesCoverEveryEventType() {
        assertThat(SampleEvents.all()).extracting(Event::eventType).containsExactlyInAnyOrder(EventType.values());
    }

    @ParameterizedTest
    @MethodSource("everyEventType")
    void everyRecordSerialisesToJsonValidAgainstItsSchema(Event event) throws Exception {
        ObjectNode json = (ObjectNode) Json.mapper().readTree(EventCodec.encode(event));

        assertThat(SchemaValidator.get().validate(SchemaValidator.ENVELOPE, json))
                .isEmpty();
        assertThat(SchemaValidator.get().validate(EventCodec.dataSchema(event.eventType()), json.get("data")))
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("everyEventType")
    void decodeOfEncodeIsTheSameEvent(Event event) throws Exception {
        assertThat(EventCodec.decode(EventCodec.encode(event))).isEqualTo(event);
    }

    @Test
    void redeliveredInputProducesTheSameEventId() {
        assertThat(Event.deterministicId("t-1", 2, EventType.CHANGE_PROPOSED))
                .isEqualTo(Event.deterministicId("t-1", 2, EventType.CHANGE_PROPOSED))
                .isNotEqualTo(Event.deterministicId("t-1", 3, EventType.CHANGE_PROPOSED))
                .isNotEqualTo(Event.deterministicId("t-1", 2, EventType.CHANGE_VERIFIED));
    }

    static Stream<Arguments> malformedMessages() {
        String valid = EventCodec.encode(SampleEvents.all().get(2));
        return Stream.of(
                Arguments.of("", "empty message"),
                Arguments.of("{not json", "not valid JSON"),
                Arguments.of("[1,2]", "must be a JSON object"),
                Arguments.of("{\"id\":\"x\"}", "invalid event envelope"),
                Arguments.of(
                        valid.replace("loopline.change.verified", "loopline.change.exploded"),
                        "$.type: does not have a value in the enumeration"),
                Arguments.of(
                        valid.replace("\"verdict\":\"accept\"", "\"verdict\":\"maybe\""),
                        "$.data.verdict: does not have a value in the enumeration"),
                Arguments.of(
                        valid.replace("\"loopId\":\"docs-changelog\"", "\"loopId\":\"Bad Id\""),
                        "$.loopId: does not match the regex pattern"));
    }

    @ParameterizedTest
    @MethodSource("malformedMessages")
    void malformedMessagesAreRejectedWithAReasonNamingTheField(String json, String expectedReason) {
        assertThatThrownBy(() -> EventCodec.decode(json))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining(expectedReason);
    }

    @Test
    void dataOfTheWrongShapeForItsTypeIsRejected() {
        String proposed = EventCodec.encode(SampleEvents.all().get(1));
        String mislabelled = proposed.replace("loopline.change.proposed", "loopline.tick.completed");

        assertThatThrownBy(() -> EventCodec.decode(mislabelled))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("invalid loopline.tick.completed data")
                .satisfies(e -> assertThat(((InvalidEventException) e).violations())
                        .anyMatch(v -> v.contains("$.data") && v.contains("outcome")));
    }

    @Test
    void unknownOptionalFieldsFromANewerProducerAreTolerated() throws Exception {
        String json = EventCodec.encode(SampleEvents.all().get(4))
                .replace("\"reason\":\"merged\"", "\"reason\":\"merged\",\"futureField\":42");

        assertThat(EventCodec.decode(json).dataAs(TickCompleted.class).reason()).isEqualTo("merged");
    }

    @Test
    void deadLetterPayloadIsTruncatedAndValidatesAgainstItsSchema() {
        DeadLetter letter = new DeadLetter(
                "guard-service",
                "loopline.proposals",
                1,
                42L,
                "loop-a",
                "not valid JSON",
                "x".repeat(70_000),
                SampleEvents.TIME);

        assertThat(letter.payload()).hasSize(DeadLetter.MAX_PAYLOAD_CHARS);
        List<String> violations =
                SchemaValidator.get().validate(SchemaValidator.DEAD_LETTER, EventCodec.encode(letter));
        assertThat(violations).isEmpty();
    }
}
