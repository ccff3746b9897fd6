package dev.loopline.schemas.control;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A budget threshold crossing as published on the control topic (key {@code budget:<kind>:<id>}) and POSTed to the
 * budget webhook. {@code action} tells consumers what to do: {@code report-only} (no writes), {@code alert} (tell a
 * human), {@code halt} (stop, including running ticks) — until {@code resetsAt}, when the scope's day starts anew.
 * {@code scope} is always {@value #SCOPE}; {@code kind} and {@code id} name the budget scope. {@code used} and {@code
 * cap} count {@code unit}s: tokens, or US cents for a money cap; a record without {@code unit} (written before money
 * caps existed) counts tokens, and a token alert is written without it.
 */
public record BudgetAlert(
        String scope,
        ControlScope kind,
        String id,
        LocalDate day,
        Action action,
        int percent,
        long used,
        long cap,
        Instant resetsAt,
        Instant at,
        @JsonInclude(JsonInclude.Include.NON_NULL) Unit unit)
        implements ControlRecord {

    public static final String SCOPE = "budget";

    public enum Action {
        @JsonProperty("report-only")
        REPORT_ONLY,
        @JsonProperty("alert")
        ALERT,
        @JsonProperty("halt")
        HALT;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** What {@code used} and {@code cap} count. */
    public enum Unit {
        @JsonProperty("tokens")
        TOKENS,
        @JsonProperty("usd-cents")
        USD_CENTS
    }

    public BudgetAlert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resetsAt, "resetsAt");
        scope = SCOPE;
        // tokens are the unit of every record written before money caps: left out, so those records keep their bytes
        unit = unit == Unit.TOKENS ? null : unit;
    }

    /** A crossing of a token cap. */
    public BudgetAlert(
            String scope,
            ControlScope kind,
            String id,
            LocalDate day,
            Action action,
            int percent,
            long used,
            long cap,
            Instant resetsAt,
            Instant at) {
        this(scope, kind, id, day, action, percent, used, cap, resetsAt, at, null);
    }

    /** Whether {@code used} and {@code cap} are US cents (a money cap) rather than tokens. */
    @JsonIgnore
    public boolean isMoney() {
        return unit == Unit.USD_CENTS;
    }

    /** The key of a budget scope's alerts on the control topic. */
    public static String key(ControlScope kind, String id) {
        return SCOPE + ":" + kind.wireName() + ":" + id;
    }

    @Override
    @JsonIgnore
    public String key() {
        return key(kind, id);
    }

    /** Whether the alert still applies at {@code now}: it lapses when its scope's day resets. */
    public boolean activeAt(Instant now) {
        return now.isBefore(resetsAt);
    }
}
