package dev.loopline.state.budget;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The reservation hot path on plain JDBC: one call of the {@code budget_reserve} function (repeatable migration R__budget_reserve) with
 * autocommit, i.e. one round trip and one transaction per reservation, instead of five statements and a commit
 * through Hibernate and JTA. The caller must not be inside a transaction: the call commits on its own.
 *
 * <p>A hold that declares a maximum above what it expects ({@link Hold#expectedTokens}) is the exception: the call and
 * the write of the expectation on the granted reservation (V11) are one transaction of their own.
 */
@ApplicationScoped
public class ReserveCall {

    private static final String SQL =
            "SELECT outcome, scope_kind, scope_id, day, level, used, cap, settled, held, stored_zone, unit, used_usd,"
                    + " cap_usd, settled_usd, held_usd, reservation_id, status, expires_at"
                    + " FROM budget_reserve(?, ?, ?, ?, ?::varchar[], ?::varchar[], ?::date[], ?::varchar[], ?::bigint[],"
                    + " ?::timestamptz[], ?::varchar, ?::numeric, ?::numeric[], ?::varchar, ?::bigint[])";

    @Inject
    AgroalDataSource dataSource;

    /**
     * One scope-day the reservation charges, as the caller computed it (arrays are passed in this order). {@code
     * declaredCap}: a daily token cap the caller declares for the scope (a loop's spec), null for none; the scope's cap
     * is then the lower of it and the stored or configured one (V13).
     */
    public record ScopeDay(
            BudgetScope scope,
            LocalDate day,
            String assumedStoredZone,
            Long configuredCap,
            BigDecimal configuredUsdCap,
            Instant resetsAt,
            Long declaredCap) {}

    /**
     * What the hold asks for: {@code tokens} held (the declared maximum), the model it names (null for none), the USD it
     * holds (null: unpriced) and the tokens the caller expects to spend when that is less than {@code tokens} (else
     * null), and its idempotency key (null for none: V13).
     */
    public record Hold(long tokens, String model, BigDecimal heldUsd, Long expectedTokens, String idempotencyKey) {}

    /** What the call did. */
    public sealed interface Outcome {}

    /**
     * Inserted under {@code id} (the one asked for, or that of a released or expired hold under the same idempotency
     * key, held again); {@code crossings} are the threshold levels this hold newly reached (already stored).
     */
    public record Granted(UUID id, List<CrossingRow> crossings) implements Outcome {}

    /**
     * Nothing written: the hold already recorded under the idempotency key, {@code held} (live) or {@code settled}
     * ({@code settledTokens} then), holding {@code tokens} until {@code expiresAt}.
     */
    public record Existing(UUID id, String status, long tokens, Long settledTokens, Instant expiresAt)
            implements Outcome {}

    /** Nothing written: a named scope or the global scope is killed. */
    public record Killed(List<BudgetScope> scopes) implements Outcome {}

    /** Nothing written: the stored zones differ from those assumed; one entry per scope (null = no stored zone). */
    public record ZoneChanged(List<StoredZone> zones) implements Outcome {}

    /**
     * Nothing written: the hold does not fit under this scope-day's cap in {@code unit} ({@code tokens}: {@code cap},
     * {@code settled}, {@code held}; {@code usd}: {@code capUsd}, {@code settledUsd}, {@code heldUsd}).
     */
    public record Exhausted(
            BudgetScope scope,
            LocalDate day,
            String unit,
            long cap,
            long settled,
            long held,
            BigDecimal capUsd,
            BigDecimal settledUsd,
            BigDecimal heldUsd)
            implements Outcome {}

    /** Nothing written: {@code scope} has a USD cap and the hold names no priced model. */
    public record Unpriced(BudgetScope scope, BigDecimal capUsd) implements Outcome {}

    /** A scope's stored time zone (null = none). */
    public record StoredZone(BudgetScope scope, String zone) {}

    /** A threshold level the reservation reached first, in {@code unit} (tokens: used/cap; usd: usedUsd/capUsd). */
    public record CrossingRow(
            BudgetScope scope,
            LocalDate day,
            String level,
            String unit,
            long used,
            long cap,
            BigDecimal usedUsd,
            BigDecimal capUsd) {}

    /** Reserves the hold on every scope-day (given in lock order) or on none, in one round trip. */
    public Outcome reserve(UUID id, Hold hold, Instant now, Instant expiresAt, List<ScopeDay> scopeDays) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getAutoCommit()) {
                throw new IllegalStateException("ReserveCall must run outside a transaction (autocommit)");
            }
            if (hold.expectedTokens() == null) {
                return call(connection, id, hold, now, expiresAt, scopeDays);
            }
            connection.setAutoCommit(false);
            try {
                Outcome outcome = call(connection, id, hold, now, expiresAt, scopeDays);
                if (outcome instanceof Granted granted) {
                    try (PreparedStatement expect = connection.prepareStatement(
                            "UPDATE budget_reservation SET expected_tokens = ? WHERE id = ?")) {
                        expect.setLong(1, hold.expectedTokens());
                        expect.setObject(2, granted.id());
                        expect.executeUpdate();
                    }
                }
                connection.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new ReserveFailedException(e);
        }
    }

    private static Outcome call(
            Connection connection, UUID id, Hold hold, Instant now, Instant expiresAt, List<ScopeDay> scopeDays)
            throws SQLException {
        int n = scopeDays.size();
        String[] kinds = new String[n];
        String[] ids = new String[n];
        String[] days = new String[n];
        String[] zones = new String[n];
        String[] caps = new String[n];
        String[] usdCaps = new String[n];
        String[] resets = new String[n];
        for (int i = 0; i < n; i++) {
            ScopeDay s = scopeDays.get(i);
            kinds[i] = s.scope().kind().wireName();
            ids[i] = s.scope().id();
            days[i] = s.day().toString();
            zones[i] = s.assumedStoredZone();
            caps[i] = s.configuredCap() == null ? null : s.configuredCap().toString();
            usdCaps[i] =
                    s.configuredUsdCap() == null ? null : s.configuredUsdCap().toPlainString();
            resets[i] = s.resetsAt().toString();
        }
        try (PreparedStatement call = connection.prepareStatement(SQL)) {
            call.setObject(1, id);
            call.setLong(2, hold.tokens());
            call.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            call.setObject(4, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
            Array[] arrays = {
                connection.createArrayOf("varchar", kinds),
                connection.createArrayOf("varchar", ids),
                connection.createArrayOf("varchar", days),
                connection.createArrayOf("varchar", zones),
                connection.createArrayOf("varchar", caps),
                connection.createArrayOf("varchar", resets)
            };
            for (int i = 0; i < arrays.length; i++) {
                call.setArray(5 + i, arrays[i]);
            }
            call.setString(11, hold.model());
            call.setBigDecimal(12, hold.heldUsd());
            call.setArray(13, connection.createArrayOf("varchar", usdCaps));
            call.setString(14, hold.idempotencyKey());
            String[] declared = new String[n];
            for (int i = 0; i < n; i++) {
                Long cap = scopeDays.get(i).declaredCap();
                declared[i] = cap == null ? null : cap.toString();
            }
            call.setArray(15, connection.createArrayOf("varchar", declared));
            return read(call);
        }
    }

    private static Outcome read(PreparedStatement call) throws SQLException {
        List<CrossingRow> crossings = new ArrayList<>();
        List<BudgetScope> killed = new ArrayList<>();
        List<StoredZone> zones = new ArrayList<>();
        Exhausted exhausted = null;
        Unpriced unpriced = null;
        UUID granted = null;
        Existing existing = null;
        try (ResultSet rs = call.executeQuery()) {
            while (rs.next()) {
                String outcome = rs.getString(1);
                switch (outcome) {
                    case "granted" -> granted = rs.getObject(16, UUID.class);
                    case "existing" -> existing = new Existing(
                            rs.getObject(16, UUID.class),
                            rs.getString(17),
                            rs.getLong(9),
                            rs.getObject(8) == null ? null : rs.getLong(8),
                            rs.getObject(18, OffsetDateTime.class).toInstant());
                    case "crossing" -> crossings.add(new CrossingRow(
                            scope(rs.getString(2), rs.getString(3)),
                            rs.getObject(4, LocalDate.class),
                            rs.getString(5),
                            rs.getString(11),
                            rs.getLong(6),
                            rs.getLong(7),
                            rs.getBigDecimal(12),
                            rs.getBigDecimal(13)));
                    case "killed" -> killed.add(scope(rs.getString(2), rs.getString(3)));
                    case "zone" -> zones.add(new StoredZone(scope(rs.getString(2), rs.getString(3)), rs.getString(10)));
                    case "unpriced" -> unpriced =
                            new Unpriced(scope(rs.getString(2), rs.getString(3)), rs.getBigDecimal(13));
                    case "exhausted" -> exhausted = new Exhausted(
                            scope(rs.getString(2), rs.getString(3)),
                            rs.getObject(4, LocalDate.class),
                            rs.getString(11),
                            rs.getLong(7),
                            rs.getLong(8),
                            rs.getLong(9),
                            rs.getBigDecimal(13),
                            rs.getBigDecimal(14),
                            rs.getBigDecimal(15));
                    default -> throw new IllegalStateException("budget_reserve answered an unknown outcome " + outcome);
                }
            }
        }
        if (!killed.isEmpty()) {
            return new Killed(killed);
        }
        if (!zones.isEmpty()) {
            return new ZoneChanged(zones);
        }
        if (existing != null) {
            return existing;
        }
        if (unpriced != null) {
            return unpriced;
        }
        if (exhausted != null) {
            return exhausted;
        }
        if (granted == null) {
            throw new IllegalStateException("budget_reserve answered neither a grant nor a refusal");
        }
        return new Granted(granted, crossings);
    }

    private static BudgetScope scope(String kind, String id) {
        return new BudgetScope(BudgetScope.Kind.fromWireName(kind).orElseThrow(), id);
    }

    /** The database refused or failed the call for a reason that is not a budget decision. */
    public static class ReserveFailedException extends RuntimeException {
        ReserveFailedException(SQLException cause) {
            super("budget reservation failed in the database: " + cause.getMessage(), cause);
        }
    }
}
