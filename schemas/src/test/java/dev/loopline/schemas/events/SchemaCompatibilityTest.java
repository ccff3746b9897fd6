package dev.loopline.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Events written by schema version 1 stay readable forever within that version: the frozen samples in
 * {@code compat/v1} must still validate and decode. A schema change that breaks them fails the build;
 * such a change needs a new schemaVersion and an upgrade path instead.
 */
class SchemaCompatibilityTest {

    static Stream<String> frozenV1Events() {
        return Arrays.stream(EventType.values())
                .filter(t -> t != EventType.APPROVAL_RECORDED) // schema version 4
                .map(t -> "compat/v1/" + t.wireName() + ".json");
    }

    @ParameterizedTest
    @MethodSource("frozenV1Events")
    void eventsWrittenBySchemaVersion1StillDecode(String resource) throws Exception {
        Event event = EventCodec.decode(read(resource));

        assertThat(event.schemaVersion()).isEqualTo(1);
        assertThat(resource).contains(event.type());
    }

    @Test
    void aHaltedTickAndAHaltedDecisionOfVersion2DecodeWithTheirCode() throws Exception {
        Event tick = EventCodec.decode(read("compat/v2/loopline.tick.completed.halted.json"));
        Event decision = EventCodec.decode(read("compat/v2/loopline.change.decided.halted.json"));

        assertThat(tick.schemaVersion()).isEqualTo(2);
        assertThat(tick.dataAs(TickCompleted.class).outcome()).isEqualTo(TickCompleted.Outcome.HALTED);
        assertThat(tick.dataAs(TickCompleted.class).halt()).isEqualTo(TickCompleted.Halt.KILL_SWITCH);
        assertThat(decision.dataAs(ChangeDecided.class).decision()).isEqualTo(ChangeDecided.Decision.HALTED);
        assertThat(decision.dataAs(ChangeDecided.class).halt()).isEqualTo(TickCompleted.Halt.BUDGET);
    }

    @Test
    void anErrorVerdictAndAnErrorDecisionOfVersion3Decode() throws Exception {
        Event verdict = EventCodec.decode(read("compat/v3/loopline.change.verified.error.json"));
        Event decision = EventCodec.decode(read("compat/v3/loopline.change.decided.error.json"));

        assertThat(verdict.schemaVersion()).isEqualTo(3);
        assertThat(verdict.dataAs(ChangeVerified.class).verdict()).isEqualTo(ChangeVerified.Verdict.ERROR);
        assertThat(verdict.dataAs(ChangeVerified.class).reasons())
                .singleElement()
                .asString()
                .contains("worktree");
        assertThat(decision.dataAs(ChangeDecided.class).decision()).isEqualTo(ChangeDecided.Decision.ERROR);
        assertThat(decision.dataAs(ChangeDecided.class).halt()).isNull();
    }

    @Test
    void anApprovalRecordAndAReverificationVerdictOfVersion4Decode() throws Exception {
        Event merged = EventCodec.decode(read("compat/v4/loopline.approval.recorded.merged.json"));
        Event reverified = EventCodec.decode(read("compat/v4/loopline.change.verified.reverification.json"));

        assertThat(merged.schemaVersion()).isEqualTo(4);
        ApprovalRecorded record = merged.dataAs(ApprovalRecorded.class);
        assertThat(record.action()).isEqualTo(ApprovalRecorded.Action.MERGED);
        assertThat(record.state()).isEqualTo(ApprovalRecorded.State.MERGED);
        assertThat(record.by()).isEqualTo("gate");
        assertThat(record.channel()).isNull();
        assertThat(record.commit()).isEqualTo("89abcdef0123456789abcdef0123456789abcdef");
        assertThat(reverified.dataAs(ChangeVerified.class).approvalId()).isEqualTo("apr-t-4-1");
        assertThat(reverified.dataAs(ChangeVerified.class).verdict()).isEqualTo(ChangeVerified.Verdict.ACCEPT);
    }

    @Test
    void aVerdictOfVersion3HasNoApprovalId() throws Exception {
        Event verdict = EventCodec.decode(read("compat/v3/loopline.change.verified.error.json"));

        assertThat(verdict.dataAs(ChangeVerified.class).approvalId()).isNull();
    }

    @Test
    void anApprovalRecordWithAnUnknownActionIsInvalid() throws Exception {
        String merged = read("compat/v4/loopline.approval.recorded.merged.json");

        assertThatThrownBy(() -> EventCodec.decode(merged.replace("\"action\": \"merged\"", "\"action\": \"waved\"")))
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void aTriageReportOfVersion4DecodesWithItsBucketsAndCursors() throws Exception {
        Event event = EventCodec.decode(read("compat/v4/loopline.tick.completed.triage.json"));

        TickCompleted done = event.dataAs(TickCompleted.class);
        assertThat(event.schemaVersion()).isEqualTo(4);
        assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.REPORTED);
        assertThat(done.triage().decision()).isEqualTo(TriageReport.Decision.REPORT);
        assertThat(done.triage().items())
                .extracting(TriageReport.Item::bucket)
                .containsExactly(TriageReport.Bucket.HIGH, TriageReport.Bucket.WATCH, TriageReport.Bucket.NOISE);
        assertThat(done.triage().cursors())
                .containsExactly(new TriageReport.Cursor(
                        "main",
                        "1111111111111111111111111111111111111111",
                        "4444444444444444444444444444444444444444"));
        assertThat(done.triage().citedShas()).hasSize(4);
    }

    @Test
    void aTriageReportCitingAShortOrNonHexShaIsInvalid() throws Exception {
        String sample = read("compat/v4/loopline.tick.completed.triage.json");

        assertThatThrownBy(() -> EventCodec.decode(sample.replace(
                        "\"4444444444444444444444444444444444444444\",\n          \"subject\"",
                        "\"4444444\",\n          \"subject\"")))
                .isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() ->
                        EventCodec.decode(sample.replace("\"decision\" : \"report\"", "\"decision\" : \"maybe\"")))
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void anEscalatedVerdictAHumanMayApproveSaysSoAndOlderVerdictsDoNot() throws Exception {
        String sample = read("compat/v4/loopline.change.verified.approvable.json");
        ChangeVerified approvable = EventCodec.decode(sample).dataAs(ChangeVerified.class);
        ChangeVerified older = EventCodec.decode(read("compat/v3/loopline.change.verified.error.json"))
                .dataAs(ChangeVerified.class);

        assertThat(approvable.humanMayApprove()).isTrue();
        assertThat(older.approvable()).isNull();
        assertThat(older.humanMayApprove()).isFalse();
        assertThatThrownBy(() -> EventCodec.decode(sample.replace("\"approvable\": true", "\"approvable\": \"yes\"")))
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void aVerdictOfVersion4CarriesEveryEarlierAttemptOfItsTick() throws Exception {
        Event verdict = EventCodec.decode(read("compat/v4/loopline.change.verified.earlier-attempts.json"));

        assertThat(verdict.schemaVersion()).isEqualTo(4);
        assertThat(verdict.dataAs(ChangeVerified.class).earlierAttempts())
                .extracting(EarlierAttempt::attempt, EarlierAttempt::reasons)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, List.of("tests failed: exit 1")),
                        org.assertj.core.groups.Tuple.tuple(2, List.of("patch does not apply")));
        String tooLong = read("compat/v4/loopline.change.verified.earlier-attempts.json")
                .replace("\"patch does not apply\"", "\"" + "x".repeat(EarlierAttempt.MAX_REASON_CHARS + 1) + "\"");
        assertThatThrownBy(() -> EventCodec.decode(tooLong)).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void aVersionNewerThanThisReaderIsRefused() throws Exception {
        String future = read("compat/v3/loopline.change.decided.error.json")
                .replace("\"schemaVersion\": 3", "\"schemaVersion\": " + (Event.SCHEMA_VERSION + 1));

        assertThatThrownBy(() -> EventCodec.decode(future)).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void aHaltedOutcomeWithoutItsCodeAndACodeOnAnotherOutcomeAreInvalid() throws Exception {
        String halted = read("compat/v2/loopline.tick.completed.halted.json");

        assertThatThrownBy(() -> EventCodec.decode(halted.replace("\"halt\" : \"kill-switch\",", "")))
                .isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() ->
                        EventCodec.decode(halted.replace("\"outcome\" : \"halted\"", "\"outcome\" : \"escalated\"")))
                .isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> EventCodec.decode(halted.replace("\"kill-switch\"", "\"bored\"")))
                .isInstanceOf(InvalidEventException.class);
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = SchemaCompatibilityTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("frozen sample %s", resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
