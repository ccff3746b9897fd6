package dev.loopline.gate.messaging;

import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlCodec;
import dev.loopline.schemas.control.ControlRecord;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Before the gate starts, publishes on the control topic a kill of loop {@value #KILLED_LOOP} and a budget
 * report-only crossing of loop {@value #REPORT_ONLY_LOOP} (valid for a day): the gate must honour both once it is up.
 */
public class ControlBeforeStartResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOPIC = "loopline.control";
    public static final String KILLED_LOOP = "gate-killed";
    public static final String REPORT_ONLY_LOOP = "gate-report-only";

    @Override
    public Map<String, String> start() {
        Instant now = Instant.now();
        send(new KillSwitch(ControlScope.LOOP, KILLED_LOOP, KillSwitch.State.KILLED, "bad merges", "erin", now));
        send(new BudgetAlert(
                BudgetAlert.SCOPE,
                ControlScope.LOOP,
                REPORT_ONLY_LOOP,
                LocalDate.now(ZoneOffset.UTC),
                BudgetAlert.Action.REPORT_ONLY,
                80,
                800,
                1000,
                now.plus(Duration.ofDays(1)),
                now));
        return Map.of();
    }

    private static void send(ControlRecord record) {
        KafkaTestClient.send(TOPIC, record.key(), ControlCodec.encode(record));
    }

    /** After KafkaTestResource (order 0). */
    @Override
    public int order() {
        return 10;
    }

    @Override
    public void stop() {
        // the records stay on the shared broker
    }
}
