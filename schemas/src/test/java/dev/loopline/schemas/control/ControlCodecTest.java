package dev.loopline.schemas.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.schemas.json.SchemaValidator;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControlCodecTest {

    private static final Instant AT = Instant.parse("2026-11-21T08:00:00Z");

    static KillSwitch kill() {
        return new KillSwitch(ControlScope.LOOP, "docs", KillSwitch.State.KILLED, "runaway", "alice", AT);
    }

    static BudgetAlert halt() {
        return new BudgetAlert(
                null,
                ControlScope.TEAM,
                "platform",
                LocalDate.parse("2026-11-21"),
                BudgetAlert.Action.HALT,
                100,
                10_000,
                10_000,
                Instant.parse("2026-11-22T00:00:00Z"),
                AT);
    }

    @Test
    void everyRecordEncodesToJsonThatItsSchemaAccepts() {
        for (ControlRecord record : new ControlRecord[] {
            kill(), halt(), new KillSwitch(ControlScope.GLOBAL, null, KillSwitch.State.RESUMED, "over", "bob", AT)
        }) {
            String json = ControlCodec.encode(record);
            assertThat(SchemaValidator.get().validate(SchemaValidator.CONTROL_RECORD, json))
                    .as(json)
                    .isEmpty();
        }
    }

    @Test
    void aKillSwitchRoundTripsUnderItsKey() throws Exception {
        KillSwitch kill = kill();

        ControlRecord decoded = ControlCodec.decode("loop:docs", ControlCodec.encode(kill));

        assertThat(decoded).isEqualTo(kill);
        assertThat(decoded.key()).isEqualTo("loop:docs");
        assertThat(ControlCodec.encode(kill))
                .isEqualTo("{\"scope\":\"loop\",\"id\":\"docs\",\"state\":\"killed\",\"reason\":\"runaway\","
                        + "\"by\":\"alice\",\"at\":\"2026-11-21T08:00:00Z\"}");
    }

    @Test
    void aBudgetAlertRoundTripsUnderItsKey() throws Exception {
        BudgetAlert alert = halt();

        ControlRecord decoded = ControlCodec.decode("budget:team:platform", ControlCodec.encode(alert));

        assertThat(decoded).isEqualTo(alert);
        assertThat(((BudgetAlert) decoded).scope()).isEqualTo("budget");
    }

    @Test
    void aMoneyAlertSaysItsUnitAndATokenAlertLeavesItOut() throws Exception {
        BudgetAlert tokens = halt();
        BudgetAlert money = new BudgetAlert(
                BudgetAlert.SCOPE,
                tokens.kind(),
                tokens.id(),
                tokens.day(),
                tokens.action(),
                tokens.percent(),
                2005,
                2000,
                tokens.resetsAt(),
                tokens.at(),
                BudgetAlert.Unit.USD_CENTS);

        assertThat(ControlCodec.encode(tokens)).doesNotContain("unit");
        assertThat(ControlCodec.encode(money)).contains("\"unit\":\"usd-cents\"");
        assertThat(SchemaValidator.get().validate(SchemaValidator.CONTROL_RECORD, ControlCodec.encode(money)))
                .isEmpty();
        BudgetAlert decoded = (BudgetAlert) ControlCodec.decode(money.key(), ControlCodec.encode(money));
        assertThat(decoded).isEqualTo(money);
        assertThat(decoded.isMoney()).isTrue();
        assertThat(tokens.isMoney()).isFalse();
    }

    @Test
    void theGlobalScopeAlwaysHasTheGlobalId() {
        KillSwitch global = new KillSwitch(ControlScope.GLOBAL, "anything", KillSwitch.State.KILLED, "r", "a", AT);

        assertThat(global.id()).isEqualTo("global");
        assertThat(global.key()).isEqualTo("global:global");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            not json                                                                          | not valid JSON
            []                                                                                | a control record must be a JSON object
            {"scope":"galaxy","id":"x","state":"killed","reason":"r","by":"a","at":"2026-11-21T08:00:00Z"} | invalid control record: $.scope: does not have a value in the enumeration
            {"scope":"loop","id":"x","state":"paused","reason":"r","by":"a","at":"2026-11-21T08:00:00Z"}  | invalid control record: $.state: does not have a value in the enumeration
            {"scope":"loop","id":"x","state":"killed","reason":"r","at":"2026-11-21T08:00:00Z"}           | invalid control record: $: required property 'by' not found
            {"scope":"budget","kind":"loop","id":"x","day":"2026-11-21","action":"halt","percent":100,"used":1,"cap":1,"at":"2026-11-21T08:00:00Z"} | invalid control record: $: required property 'resetsAt' not found
            """)
    void rejectsAnInvalidRecordSayingWhatIsWrong(String json, String message) {
        assertThatThrownBy(() -> ControlCodec.decode(null, json))
                .isInstanceOf(InvalidControlRecordException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void rejectsARecordPublishedUnderAnotherKey() {
        assertThatThrownBy(() -> ControlCodec.decode("loop:other", ControlCodec.encode(kill())))
                .isInstanceOf(InvalidControlRecordException.class)
                .hasMessage("key loop:other does not match the record's key loop:docs");
    }

    @Test
    void rejectsAnEmptyValue() {
        assertThatThrownBy(() -> ControlCodec.decode("loop:docs", ""))
                .isInstanceOf(InvalidControlRecordException.class)
                .hasMessage("empty control record");
    }
}
