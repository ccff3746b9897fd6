package dev.loopline.state.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A threshold crossing as published on {@code loopline.control} (key {@code budget:<kind>:<id>}) and POSTed to the
 * webhook. {@code action} tells consumers what to do: {@code report-only} (no writes), {@code alert} (tell a human),
 * {@code halt} (stop, including running ticks) — until {@code resetsAt}, when the scope's day starts anew.
 */
public record BudgetAlert(
        String scope,
        String kind,
        String id,
        LocalDate day,
        String action,
        int percent,
        long used,
        long cap,
        Instant resetsAt,
        Instant at) {

    public static final String SCOPE = "budget";

    public static BudgetAlert of(BudgetThreshold.Crossing c) {
        return new BudgetAlert(
                SCOPE,
                c.scope().kind().wireName(),
                c.scope().id(),
                c.day(),
                c.level().wireName(),
                c.level().percent(),
                c.used(),
                c.cap(),
                c.resetsAt(),
                c.crossedAt());
    }

    @JsonIgnore
    public String key() {
        return SCOPE + ":" + kind + ":" + id;
    }
}
