package dev.loopline.core.control;

import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlRecord;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.ControlSnapshot;
import dev.loopline.schemas.control.KillSwitch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fold of the compacted control topic: the latest record of each key, in the order they were read. A kill switch
 * of the loop, its team or global halts; so does a budget {@code halt} of any of them until its {@code resetsAt}; a
 * budget {@code report-only} limits the loop to reporting; a budget {@code alert} is for humans and changes nothing
 * here. Thread-safe: one thread applies records while others ask for admissions.
 */
public final class ControlBoard {

    private final Map<String, ControlRecord> latest = new ConcurrentHashMap<>();

    /** A board holding what a snapshot says is in force. */
    public static ControlBoard of(ControlSnapshot snapshot) {
        ControlBoard board = new ControlBoard();
        snapshot.kills().forEach(board::apply);
        snapshot.budgetAlerts().forEach(board::apply);
        return board;
    }

    /** The record replaces whatever its key held before. */
    public void apply(ControlRecord record) {
        latest.put(record.key(), record);
    }

    /** A tombstone: the key holds nothing any more (a cleared kill, a deleted alert). */
    public void remove(String key) {
        latest.remove(Objects.requireNonNull(key, "key"));
    }

    /** The latest record of every key, in no particular order. */
    public List<ControlRecord> records() {
        return List.copyOf(latest.values());
    }

    /**
     * @param team the loop's team, or {@code null} when it has none
     * @return the strictest admission in force: a halt (kills first, global before team before loop) over
     *     report-only over run
     */
    public Admission admission(String loopId, String team, Instant now) {
        Objects.requireNonNull(loopId, "loopId");
        Objects.requireNonNull(now, "now");
        List<Scope> scopes = new ArrayList<>(3);
        scopes.add(new Scope(ControlScope.GLOBAL, ControlScope.GLOBAL_ID));
        if (team != null && !team.isBlank()) {
            scopes.add(new Scope(ControlScope.TEAM, team));
        }
        scopes.add(new Scope(ControlScope.LOOP, loopId));
        for (Scope scope : scopes) {
            if (latest.get(KillSwitch.key(scope.kind(), scope.id())) instanceof KillSwitch kill && kill.killed()) {
                return new Admission.Halt(
                        "kill switch " + kill.key() + " set by " + kill.by() + " at " + kill.at() + ": "
                                + kill.reason(),
                        kill);
            }
        }
        Admission limited = Admission.RUN;
        for (Scope scope : scopes) {
            if (latest.get(BudgetAlert.key(scope.kind(), scope.id())) instanceof BudgetAlert alert
                    && alert.activeAt(now)) {
                switch (alert.action()) {
                    case HALT -> {
                        return new Admission.Halt("budget halt: " + describe(alert), alert);
                    }
                    case REPORT_ONLY -> {
                        if (limited == Admission.RUN) {
                            limited = new Admission.ReportOnly("budget report-only: " + describe(alert), alert);
                        }
                    }
                    case ALERT -> {
                        // tells a human; the loop runs on
                    }
                }
            }
        }
        return limited;
    }

    private static String describe(BudgetAlert alert) {
        String scope =
                alert.kind() == ControlScope.GLOBAL ? "global" : alert.kind().wireName() + ":" + alert.id();
        String usage = alert.isMoney()
                ? dollars(alert.used()) + " of its " + dollars(alert.cap()) + " daily money cap"
                : alert.used() + " of its " + alert.cap() + "-token daily cap";
        return scope + " used " + usage + " (" + alert.percent() + " %) on " + alert.day() + ", until "
                + alert.resetsAt();
    }

    private static String dollars(long cents) {
        return "$" + (cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + (cents % 100);
    }

    private record Scope(ControlScope kind, String id) {}
}
