package dev.loopline.state.common;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Parsing and bounds of the query parameters shared by the list endpoints; failures are 400 problems. */
public final class QueryParams {

    private QueryParams() {}

    public static int limit(Integer requested, StateConfig.Api api) {
        if (requested == null) {
            return api.defaultLimit();
        }
        if (requested < 1 || requested > api.maxLimit()) {
            throw ApiException.invalidParameter("limit", "must be between 1 and " + api.maxLimit());
        }
        return requested;
    }

    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.invalidParameter(name, "must be an ISO-8601 instant such as 2026-11-21T06:00:00Z");
        }
    }

    public static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
