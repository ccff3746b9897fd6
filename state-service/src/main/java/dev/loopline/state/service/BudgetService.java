package dev.loopline.state.service;

import dev.loopline.state.config.BudgetConfig;
import dev.loopline.state.repository.BudgetRepository;
import dev.loopline.state.repository.BudgetRepository.ChargeRow;
import dev.loopline.state.repository.BudgetRepository.ReservationRow;
import dev.loopline.state.repository.BudgetThresholdRepository;
import dev.loopline.state.repository.ReserveCall;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The budget ledger, in tokens and in USD. Invariant, per scope, day and unit: settled + live holds ≤ cap, under any
 * concurrency and with any number of replicas on one database. A hold's USD is an upper bound of its cost (its tokens
 * at the reserved model's higher per-token price), so settling it within its tokens never exceeds a money cap. The
 * invariant holds because every change that can raise a scope-day's
 * total is made while that scope-day's {@code budget_period} row is locked ({@code SELECT … FOR UPDATE}), and
 * the check reads the totals after taking the lock. Locks are taken in one global order (scope kind, id),
 * so two reservations sharing scopes cannot deadlock. Holds stop counting at {@code expires_at} — the
 * check filters on it — so an unswept expired hold never blocks anyone.
 */
@ApplicationScoped
public class BudgetService {

    public static final String HELD = "held";
    public static final String SETTLED = "settled";
    public static final String RELEASED = "released";
    public static final String EXPIRED = "expired";

    /** Reservations are decided again when the stored zones or kill switches change under them; this many times. */
    private static final int MAX_RESERVE_ATTEMPTS = 5;

    private static final int MAX_REMEMBERED_ZONES = 10_000;

    /** Decimal places of USD amounts in the ledger ({@code numeric(20, 9)}). */
    private static final int USD_SCALE = 9;

    @Inject
    BudgetRepository ledger;

    @Inject
    ReserveCall reserveCall;

    /**
     * The time zones stored with caps ({@code budget_cap.time_zone}) as this replica last saw them; a scope not in
     * here is assumed to have none. Only a guess for computing days: the database checks it on every reservation.
     */
    private final Map<BudgetScope, String> storedZones = new ConcurrentHashMap<>();

    @Inject
    BudgetConfig config;

    @Inject
    ControlService control;

    @Inject
    Clock clock;

    @Inject
    BudgetThresholdRepository thresholds;

    @Inject
    MeterRegistry registry;

    /** Observed after commit by {@link BudgetAlertService}, which publishes it. */
    @Inject
    Event<BudgetThreshold.Crossing> crossed;

    /**
     * A granted hold of {@code maxTokens} (the declared maximum, held against the caps) for {@code tokens} expected;
     * {@code heldUsd} is null when it names no priced model. {@code replayed}: the hold was already recorded under the
     * request's idempotency key and nothing was written; {@code status} is then its status ({@code held} or {@code
     * settled}), and {@code model}, {@code heldUsd} and {@code charges} are not repeated (null, null, empty).
     */
    public record Reservation(
            UUID id,
            long tokens,
            long maxTokens,
            String model,
            BigDecimal heldUsd,
            Instant expiresAt,
            List<Charge> charges,
            String status,
            boolean replayed) {}

    /**
     * What a reservation asks for besides its scopes and amounts: {@code idempotencyKey} (null for none) names the
     * hold, so asking again with the same key answers the same hold instead of a second one; {@code loopDailyTokens}
     * (null for none) is the loop's declared daily cap (its spec's {@code budget.dailyTokens}): the loop scope's cap is
     * then the lower of it and the stored or configured one.
     */
    public record Terms(String idempotencyKey, Long loopDailyTokens) {
        public static final Terms NONE = new Terms(null, null);
    }

    /** A scope-day a reservation charges. */
    public record Charge(BudgetScope scope, LocalDate day) {}

    /**
     * A reservation's state after settle or release: {@code tokens} expected, {@code maxTokens} held; {@code
     * overshootTokens} is what a settlement spent beyond {@code tokens} (null unless settled).
     */
    public record ReservationState(
            UUID id,
            long tokens,
            long maxTokens,
            String status,
            Long settledTokens,
            Long overshootTokens,
            String model,
            BigDecimal costUsd,
            Instant expiresAt) {}

    /**
     * One scope's budget today. {@code cap} and {@code remaining} are empty when the scope has no token cap; the
     * {@code usd…} figures that depend on a cap (cap, remaining, burn rate, projection) are empty without a money cap;
     * {@code costUsd} is the USD settled today, {@code usdHeld} the USD of today's live holds.
     */
    public record ScopeBudget(
            BudgetScope scope,
            LocalDate day,
            String timeZone,
            OptionalLong cap,
            long spent,
            long overshoot,
            long held,
            OptionalLong remaining,
            Instant resetsAt,
            long burnRatePerHour,
            Optional<Instant> projectedExhaustionAt,
            BigDecimal costUsd,
            Optional<BigDecimal> usdCap,
            BigDecimal usdHeld,
            Optional<BigDecimal> usdRemaining,
            Optional<BigDecimal> usdBurnRatePerHour,
            Optional<Instant> usdProjectedExhaustionAt) {}

    /** A scope's caps in both units (each empty when the scope has none). */
    private record Caps(OptionalLong tokens, Optional<BigDecimal> usd) {
        boolean any() {
            return tokens.isPresent() || usd.isPresent();
        }
    }

    /**
     * Holds {@code tokens} on every scope, or on none, in one database round trip ({@link ReserveCall}: kill check,
     * caps, scope-day locks in lock order, live holds, cap check, inserts and threshold crossings in one statement
     * that is its own transaction). Runs outside any transaction.
     *
     * <p>The day of each scope depends on the time zone stored with its (or its team's) cap. This replica remembers
     * the stored zones it has seen ({@link #storedZones}); the call checks them against the stored rows and, when one
     * changed, writes nothing and answers the stored zones, and the reservation is computed again.
     *
     * <p>A hold naming a priced {@code model} also holds USD: {@code tokens} at the model's higher per-token price
     * (rounded up), an upper bound of what settling those tokens can cost. A scope with a money cap accepts only such
     * holds.
     *
     * @throws BudgetExhaustedException naming the first scope (in lock order) the hold does not fit, and the unit
     * @throws UnpricedModelException when a scope has a money cap and {@code model} is absent or has no prices
     * @throws ScopeKilledException when a named scope or the global scope is killed
     */
    public Reservation reserve(
            Collection<BudgetScope> scopes, long tokens, Long maxTokens, String model, Duration ttl) {
        return reserve(scopes, tokens, maxTokens, model, ttl, Terms.NONE);
    }

    /**
     * {@link #reserve(Collection, long, Long, String, Duration)} with an idempotency key and a declared loop cap
     * ({@link Terms}). A repeated key answers the hold already recorded under it when that is live or settled (nothing
     * is written, {@link Reservation#replayed()}); a released or expired one is held again under its id, checked like a
     * new hold. So a key never holds or charges twice.
     */
    public Reservation reserve(
            Collection<BudgetScope> scopes, long tokens, Long maxTokens, String model, Duration ttl, Terms terms) {
        if (tokens <= 0) {
            throw new IllegalArgumentException("tokens must be positive");
        }
        if (maxTokens != null && maxTokens < tokens) {
            throw new IllegalArgumentException("maxTokens must not be less than tokens");
        }
        long held = maxTokens == null ? tokens : maxTokens;
        ReserveCall.Hold hold = new ReserveCall.Hold(
                held, model, maxCostOf(model, held), held > tokens ? tokens : null, terms.idempotencyKey());
        TreeSet<BudgetScope> ordered = new TreeSet<>(scopes);
        Optional<String> team = ordered.stream()
                .filter(s -> s.kind() == BudgetScope.Kind.TEAM)
                .map(BudgetScope::id)
                .findFirst();
        Function<BudgetScope, Optional<String>> stored = s -> Optional.ofNullable(storedZones.get(s));
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            List<Charge> charges = new ArrayList<>(ordered.size());
            List<ReserveCall.ScopeDay> scopeDays = new ArrayList<>(ordered.size());
            for (BudgetScope scope : ordered) {
                ZoneId zone = zoneOf(scope, team, stored);
                LocalDate day = now.atZone(zone).toLocalDate();
                charges.add(new Charge(scope, day));
                scopeDays.add(new ReserveCall.ScopeDay(
                        scope,
                        day,
                        storedZones.get(scope),
                        configuredCap(scope).orElse(null),
                        configuredUsdCap(scope).orElse(null),
                        nextDayStart(day, zone),
                        scope.kind() == BudgetScope.Kind.LOOP ? terms.loopDailyTokens() : null));
            }
            UUID id = UUID.randomUUID();
            Instant expiresAt = now.plus(ttl);
            ReserveCall.Outcome outcome = reserveCall.reserve(id, hold, now, expiresAt, scopeDays);
            if (outcome instanceof ReserveCall.Granted granted) {
                for (ReserveCall.CrossingRow c : granted.crossings()) {
                    Instant resetsAt = scopeDays.stream()
                            .filter(s -> s.scope().equals(c.scope()))
                            .findFirst()
                            .orElseThrow()
                            .resetsAt();
                    BudgetThreshold level = BudgetThreshold.fromWireName(c.level());
                    // after commit (the call committed already): published by BudgetAlertService
                    crossed.fire(
                            BudgetUnit.fromWireName(c.unit()) == BudgetUnit.USD
                                    ? BudgetThreshold.Crossing.usd(
                                            c.scope(), c.day(), level, c.usedUsd(), c.capUsd(), resetsAt, now)
                                    : new BudgetThreshold.Crossing(
                                            c.scope(), c.day(), level, c.used(), c.cap(), resetsAt, now));
                }
                return new Reservation(
                        granted.id(),
                        tokens,
                        held,
                        model,
                        hold.heldUsd(),
                        expiresAt,
                        List.copyOf(charges),
                        HELD,
                        false);
            }
            if (outcome instanceof ReserveCall.Existing existing) {
                registry.counter("loopline.budget.reservations.replayed").increment();
                return new Reservation(
                        existing.id(),
                        existing.tokens(),
                        existing.tokens(),
                        null,
                        null,
                        existing.expiresAt(),
                        List.of(),
                        existing.status(),
                        true);
            }
            if (outcome instanceof ReserveCall.Unpriced unpriced) {
                throw new UnpricedModelException(unpriced.scope(), model, pricedModels());
            }
            if (outcome instanceof ReserveCall.Exhausted refused) {
                ReserveCall.ScopeDay scopeDay = scopeDays.stream()
                        .filter(s -> s.scope().equals(refused.scope()))
                        .findFirst()
                        .orElseThrow();
                if (BudgetUnit.fromWireName(refused.unit()) == BudgetUnit.USD) {
                    throw BudgetExhaustedException.money(
                            refused.scope(),
                            refused.capUsd(),
                            refused.settledUsd(),
                            refused.heldUsd(),
                            hold.heldUsd(),
                            scopeDay.resetsAt());
                }
                throw new BudgetExhaustedException(
                        refused.scope(), refused.cap(), refused.settled(), refused.held(), held, scopeDay.resetsAt());
            }
            if (outcome instanceof ReserveCall.Killed) {
                // the switch's reason and author for the problem; empty when it was resumed in between: try again
                control.killedAmong(ordered).ifPresent(killed -> {
                    throw new ScopeKilledException(killed);
                });
            } else if (outcome instanceof ReserveCall.ZoneChanged changed) {
                rememberZones(changed.zones());
            }
            if (attempt >= MAX_RESERVE_ATTEMPTS) {
                throw new IllegalStateException("reservation did not settle on the stored time zones or kill switches"
                        + " after " + attempt + " attempts");
            }
        }
    }

    /** Records the stored zones the database answered; bounded (cleared when full, then relearnt on demand). */
    private void rememberZones(List<ReserveCall.StoredZone> zones) {
        if (storedZones.size() > MAX_REMEMBERED_ZONES) {
            storedZones.clear();
        }
        for (ReserveCall.StoredZone z : zones) {
            if (z.zone() == null) {
                storedZones.remove(z.scope());
            } else {
                storedZones.put(z.scope(), z.zone());
            }
        }
    }

    /**
     * Turns a hold into spend. Settling again with the same amount is a no-op (retries are safe), and so is settling
     * again with any amount a hold reserved under an idempotency key (one key, one charge). The reservation held
     * its declared maximum, so a settlement up to it fits; what it spends beyond the tokens it expected is recorded as
     * overshoot (on the reservation and its scope-days). A settlement above the declared maximum is refused ({@link
     * SettleExceedsMaximumException}) and changes nothing. Spend beyond what is still held (a hold that expired
     * meanwhile) must fit under the caps like a new reservation; otherwise nothing changes and {@link
     * BudgetExhaustedException} says which scope refused.
     *
     * <p>The cost at the model's configured prices ({@code loopline.budget.prices}) is recorded on the reservation and
     * added to each scope-day: {@code inputTokens} of the actual tokens at the input price, the rest at the output
     * price (all of them when {@code inputTokens} is null). No cost for a model without prices. {@code model} defaults
     * to the one the reservation named. Money caps are checked like token caps: a cost beyond the USD still held must
     * fit; a money-capped scope refuses a settlement without a priced model ({@link UnpricedModelException}).
     */
    @Transactional
    public ReservationState settle(UUID id, long actualTokens, String model, Long inputTokens) {
        if (actualTokens < 0) {
            throw new IllegalArgumentException("actualTokens must not be negative");
        }
        Instant now = clock.instant();
        ReservationRow reservation = ledger.lockReservation(id).orElseThrow(() -> new ReservationNotFoundException(id));
        switch (reservation.status()) {
            case SETTLED -> {
                // a hold with an idempotency key is one logical charge: settling it again (a redelivered tick whose
                // maker ran again) changes nothing, whatever amount the repeat reports
                if (reservation.idempotencyKey() != null
                        || (reservation.settledTokens() != null && reservation.settledTokens() == actualTokens)) {
                    return state(reservation);
                }
                throw new ReservationConflictException(
                        "Reservation " + id + " was already settled with " + reservation.settledTokens() + " tokens");
            }
            case RELEASED -> throw new ReservationConflictException("Reservation " + id + " was released");
            default -> {
                // held (live or not yet swept) or expired: settle below
            }
        }
        if (actualTokens > reservation.tokens()) {
            throw new SettleExceedsMaximumException(id, actualTokens, reservation.expected(), reservation.tokens());
        }
        long overshoot = Math.max(0, actualTokens - reservation.expected());
        boolean live =
                HELD.equals(reservation.status()) && reservation.expiresAt().isAfter(now);
        long stillHeld = live ? reservation.tokens() : 0;
        BigDecimal stillHeldUsd = live && reservation.heldUsd() != null ? reservation.heldUsd() : BigDecimal.ZERO;
        String costModel = model != null ? model : reservation.model();
        BigDecimal cost = costOf(costModel, actualTokens, inputTokens);
        List<ChargeRow> charges = ledger.charges(id);
        Optional<String> team = charges.stream()
                .map(ChargeRow::scope)
                .filter(s -> s.kind() == BudgetScope.Kind.TEAM)
                .map(BudgetScope::id)
                .findFirst();
        List<Runnable> thresholdChecks = new ArrayList<>();
        for (ChargeRow charge : charges) {
            BudgetRepository.Settled settled = ledger.lockPeriod(charge.scope(), charge.day());
            Caps caps = capsOf(charge.scope());
            if (!caps.any()) {
                continue;
            }
            BudgetRepository.Holds others = ledger.liveHolds(charge.scope(), charge.day(), now, id);
            ZoneId zone = zoneOf(charge.scope(), team);
            Instant resetsAt = nextDayStart(charge.day(), zone);
            long used = settled.tokens() + others.tokens() + actualTokens;
            if (caps.tokens().isPresent()
                    && actualTokens > stillHeld
                    && used > caps.tokens().getAsLong()) {
                throw new BudgetExhaustedException(
                        charge.scope(),
                        caps.tokens().getAsLong(),
                        settled.tokens(),
                        others.tokens(),
                        actualTokens - stillHeld,
                        resetsAt);
            }
            BigDecimal usedUsd = null;
            if (caps.usd().isPresent()) {
                if (cost == null) {
                    throw new UnpricedModelException(charge.scope(), costModel, pricedModels());
                }
                usedUsd = settled.usd().add(others.usd()).add(cost);
                if (cost.compareTo(stillHeldUsd) > 0
                        && usedUsd.compareTo(caps.usd().get()) > 0) {
                    throw BudgetExhaustedException.money(
                            charge.scope(),
                            caps.usd().get(),
                            settled.usd(),
                            others.usd(),
                            cost.subtract(stillHeldUsd),
                            resetsAt);
                }
            }
            BigDecimal finalUsedUsd = usedUsd;
            thresholdChecks.add(
                    () -> recordThresholds(charge.scope(), charge.day(), used, finalUsedUsd, caps, resetsAt, now));
        }
        charges.forEach(c -> ledger.addSettled(c.scope(), c.day(), actualTokens, overshoot, cost));
        ledger.close(id, SETTLED, actualTokens, overshoot, costModel, cost, now);
        thresholdChecks.forEach(Runnable::run);
        if (overshoot > 0) {
            registry.counter("loopline.budget.overshoot.tokens").increment(overshoot);
        }
        return new ReservationState(
                id,
                reservation.expected(),
                reservation.tokens(),
                SETTLED,
                actualTokens,
                overshoot,
                costModel,
                cost,
                reservation.expiresAt());
    }

    /**
     * Gives a hold back. Idempotent; a settled reservation cannot be released, except that releasing a settled hold
     * reserved under an idempotency key is a no-op answering its settlement (the key's charge stands).
     */
    @Transactional
    public ReservationState release(UUID id) {
        ReservationRow reservation = ledger.lockReservation(id).orElseThrow(() -> new ReservationNotFoundException(id));
        if (SETTLED.equals(reservation.status())) {
            if (reservation.idempotencyKey() != null) {
                return state(reservation); // a repeat of a charged call that spent nothing the second time
            }
            throw new ReservationConflictException("Reservation " + id + " was already settled");
        }
        if (!RELEASED.equals(reservation.status())) {
            ledger.close(id, RELEASED, null, null, reservation.model(), null, clock.instant());
        }
        return new ReservationState(
                id,
                reservation.expected(),
                reservation.tokens(),
                RELEASED,
                null,
                null,
                null,
                null,
                reservation.expiresAt());
    }

    /** Marks expired holds; the scheduled sweeper calls this. Returns how many were marked. */
    @Transactional
    public int sweepExpired() {
        return ledger.expireHolds(clock.instant());
    }

    /**
     * Sets a scope's daily caps (and, for a team, the time zone of its day). A unit given as null keeps its stored cap;
     * at least one unit is required.
     */
    @Transactional
    public ScopeBudget setCap(BudgetScope scope, Long dailyTokens, BigDecimal dailyUsd, String timeZone) {
        if (dailyTokens == null && dailyUsd == null) {
            throw new IllegalArgumentException("a cap needs dailyTokens or dailyUsd");
        }
        if (timeZone != null) {
            ZoneId.of(timeZone); // rejects unknown zones before they are stored
        }
        ledger.upsertCap(scope, dailyTokens, dailyUsd, timeZone, clock.instant());
        return overview().stream()
                .filter(b -> b.scope().equals(scope))
                .findFirst()
                .orElseThrow();
    }

    /** One scope's settled use on one of its days. */
    public record DayUse(BudgetScope scope, LocalDate day, long spent, long overshoot, BigDecimal costUsd) {}

    /**
     * What every scope spent on each of its last {@code days} days (today included), oldest first; a day a scope
     * spent nothing on is left out. Days are the scopes' own (a team's time zone), as the ledger books them.
     */
    @Transactional
    public List<DayUse> history(int days) {
        LocalDate from = clock.instant().atZone(ZoneId.of("UTC")).toLocalDate().minusDays(days);
        return ledger.periodsSince(from).stream()
                .filter(p -> !p.day()
                        .isBefore(clock.instant()
                                .atZone(zoneOf(p.scope(), Optional.empty()))
                                .toLocalDate()
                                .minusDays(days - 1L)))
                .map(p -> new DayUse(p.scope(), p.day(), p.settled(), p.overshoot(), p.costUsd()))
                .sorted(java.util.Comparator.comparing(DayUse::day).thenComparing(DayUse::scope))
                .toList();
    }

    /** Every scope with a cap or with usage today: cap, spent, live holds, remaining. */
    @Transactional
    public List<ScopeBudget> overview() {
        Instant now = clock.instant();
        Map<BudgetScope, Long> settledToday = new HashMap<>();
        Map<BudgetScope, Long> overshootToday = new HashMap<>();
        Map<BudgetScope, BigDecimal> costToday = new HashMap<>();
        TreeSet<BudgetScope> scopes = new TreeSet<>();
        config.caps().global().ifPresent(c -> scopes.add(BudgetScope.global()));
        config.caps().team().keySet().forEach(id -> scopes.add(new BudgetScope(BudgetScope.Kind.TEAM, id)));
        config.caps().loop().keySet().forEach(id -> scopes.add(new BudgetScope(BudgetScope.Kind.LOOP, id)));
        config.moneyCaps().global().ifPresent(c -> scopes.add(BudgetScope.global()));
        config.moneyCaps().team().keySet().forEach(id -> scopes.add(new BudgetScope(BudgetScope.Kind.TEAM, id)));
        config.moneyCaps().loop().keySet().forEach(id -> scopes.add(new BudgetScope(BudgetScope.Kind.LOOP, id)));
        ledger.caps().forEach(c -> scopes.add(c.scope()));
        for (BudgetRepository.PeriodRow period :
                ledger.periodsSince(now.atZone(ZoneId.of("UTC")).toLocalDate().minusDays(1))) {
            if (period.day()
                    .equals(now.atZone(zoneOf(period.scope(), Optional.empty())).toLocalDate())) {
                scopes.add(period.scope());
                settledToday.put(period.scope(), period.settled());
                overshootToday.put(period.scope(), period.overshoot());
                costToday.put(period.scope(), period.costUsd());
            }
        }
        List<ScopeBudget> result = new ArrayList<>();
        for (BudgetScope scope : scopes) {
            ZoneId zone = zoneOf(scope, Optional.empty());
            LocalDate day = now.atZone(zone).toLocalDate();
            long spent = settledToday.getOrDefault(scope, 0L);
            BudgetRepository.Holds holds = ledger.liveHolds(scope, day, now, null);
            long held = holds.tokens();
            Caps caps = capsOf(scope);
            OptionalLong cap = caps.tokens();
            OptionalLong remaining = cap.isPresent()
                    ? OptionalLong.of(Math.max(0, cap.getAsLong() - spent - held))
                    : OptionalLong.empty();
            Instant resetsAt = nextDayStart(day, zone);
            long burnRate = burnRatePerHour(scope, day, zone, now);
            Optional<Instant> exhaustion = projectedExhaustion(remaining, burnRate, now, resetsAt);
            BigDecimal spentUsd = costToday.getOrDefault(scope, BigDecimal.ZERO);
            Optional<BigDecimal> usdRemaining = caps.usd()
                    .map(c -> c.subtract(spentUsd).subtract(holds.usd()).max(BigDecimal.ZERO));
            Optional<BigDecimal> usdBurnRate = caps.usd().map(c -> usdBurnRatePerHour(scope, day, zone, now));
            Optional<Instant> usdExhaustion =
                    usdRemaining.flatMap(r -> projectedUsdExhaustion(r, usdBurnRate.orElseThrow(), now, resetsAt));
            result.add(new ScopeBudget(
                    scope,
                    day,
                    zone.getId(),
                    cap,
                    spent,
                    overshootToday.getOrDefault(scope, 0L),
                    held,
                    remaining,
                    resetsAt,
                    burnRate,
                    exhaustion,
                    spentUsd,
                    caps.usd(),
                    holds.usd(),
                    usdRemaining,
                    usdBurnRate,
                    usdExhaustion));
        }
        return result;
    }

    /**
     * Tokens settled per hour over the last hour, or since the start of the scope's day when that is more recent
     * (so the rate right after midnight is not diluted by yesterday's empty hour).
     */
    private long burnRatePerHour(BudgetScope scope, LocalDate day, ZoneId zone, Instant now) {
        Instant dayStart = day.atStartOfDay(zone).toInstant();
        Instant hourAgo = now.minus(Duration.ofHours(1));
        Instant from = dayStart.isAfter(hourAgo) ? dayStart : hourAgo;
        long millis = Duration.between(from, now).toMillis();
        if (millis <= 0) {
            return 0;
        }
        long settled = ledger.settledSince(scope, day, from);
        return Math.round(settled * 3_600_000.0 / millis);
    }

    /** {@link #burnRatePerHour} in USD settled. */
    private BigDecimal usdBurnRatePerHour(BudgetScope scope, LocalDate day, ZoneId zone, Instant now) {
        Instant dayStart = day.atStartOfDay(zone).toInstant();
        Instant hourAgo = now.minus(Duration.ofHours(1));
        Instant from = dayStart.isAfter(hourAgo) ? dayStart : hourAgo;
        long millis = Duration.between(from, now).toMillis();
        if (millis <= 0) {
            return BigDecimal.ZERO;
        }
        return ledger.settledUsdSince(scope, day, from)
                .multiply(BigDecimal.valueOf(3_600_000))
                .divide(BigDecimal.valueOf(millis), 6, RoundingMode.HALF_UP);
    }

    /** When the money cap runs out at the current USD burn rate; empty when not burning or the day resets first. */
    private static Optional<Instant> projectedUsdExhaustion(
            BigDecimal remaining, BigDecimal burnRatePerHour, Instant now, Instant resetsAt) {
        if (burnRatePerHour.signum() <= 0) {
            return Optional.empty();
        }
        long millis = remaining
                .multiply(BigDecimal.valueOf(3_600_000))
                .divide(burnRatePerHour, 0, RoundingMode.HALF_UP)
                .min(BigDecimal.valueOf(Duration.ofDays(400).toMillis()))
                .longValueExact();
        Instant at = now.plusMillis(millis);
        return at.isBefore(resetsAt) ? Optional.of(at) : Optional.empty();
    }

    /** When the cap runs out at the current burn rate; empty when not burning, uncapped, or the day resets first. */
    private static Optional<Instant> projectedExhaustion(
            OptionalLong remaining, long burnRatePerHour, Instant now, Instant resetsAt) {
        if (remaining.isEmpty() || burnRatePerHour <= 0) {
            return Optional.empty();
        }
        Instant at = now.plusMillis(Math.round(remaining.getAsLong() * 3_600_000.0 / burnRatePerHour));
        return at.isBefore(resetsAt) ? Optional.of(at) : Optional.empty();
    }

    /**
     * The USD a hold of {@code tokens} holds: every token at the model's higher per-token price, rounded up to the
     * ledger's scale — no settlement of those tokens at that model can cost more. Null when the model has no prices.
     */
    private BigDecimal maxCostOf(String model, long tokens) {
        BudgetConfig.Price price = model == null ? null : config.prices().get(model);
        if (price == null) {
            return null;
        }
        return price.inputPerMtok()
                .max(price.outputPerMtok())
                .multiply(BigDecimal.valueOf(tokens))
                .divide(BigDecimal.valueOf(1_000_000), USD_SCALE, RoundingMode.UP);
    }

    /** The models with prices, sorted (named in the problem of an unpriced reservation). */
    private List<String> pricedModels() {
        return config.prices().keySet().stream().sorted().toList();
    }

    /** USD cost of a settlement at the model's configured prices; null when the model has none. */
    private BigDecimal costOf(String model, long actualTokens, Long inputTokens) {
        BudgetConfig.Price price = model == null ? null : config.prices().get(model);
        if (price == null) {
            return null;
        }
        long input = inputTokens == null ? 0 : Math.min(inputTokens, actualTokens);
        long output = actualTokens - input;
        return price.inputPerMtok()
                .multiply(BigDecimal.valueOf(input))
                .add(price.outputPerMtok().multiply(BigDecimal.valueOf(output)))
                .divide(BigDecimal.valueOf(1_000_000), USD_SCALE, RoundingMode.HALF_UP);
    }

    /**
     * Logs every threshold this use newly reaches, in the unit with the higher fraction of its cap ({@code usedUsd}
     * is null without a money cap); each is published after commit. Runs under the period lock.
     */
    private void recordThresholds(
            BudgetScope scope, LocalDate day, long used, BigDecimal usedUsd, Caps caps, Instant resetsAt, Instant now) {
        BigDecimal tokenShare = caps.tokens().isPresent() && caps.tokens().getAsLong() > 0
                ? BigDecimal.valueOf(used)
                        .divide(BigDecimal.valueOf(caps.tokens().getAsLong()), MathContext.DECIMAL64)
                : null;
        BigDecimal usdShare = caps.usd().isPresent() && caps.usd().get().signum() > 0
                ? usedUsd.divide(caps.usd().get(), MathContext.DECIMAL64)
                : null;
        List<BudgetThreshold.Crossing> crossings;
        if (usdShare != null && (tokenShare == null || usdShare.compareTo(tokenShare) > 0)) {
            crossings = BudgetThreshold.reached(usedUsd, caps.usd().get()).stream()
                    .map(level -> BudgetThreshold.Crossing.usd(
                            scope, day, level, usedUsd, caps.usd().get(), resetsAt, now))
                    .toList();
        } else if (tokenShare != null) {
            long cap = caps.tokens().getAsLong();
            crossings = BudgetThreshold.reached(used, cap).stream()
                    .map(level -> new BudgetThreshold.Crossing(scope, day, level, used, cap, resetsAt, now))
                    .toList();
        } else {
            crossings = List.of();
        }
        for (BudgetThreshold.Crossing crossing : crossings) {
            if (thresholds.insertIfAbsent(crossing)) {
                crossed.fire(crossing);
            }
        }
    }

    /** A scope's caps in both units: per unit, the stored cap (set through the API) wins over the configured one. */
    private Caps capsOf(BudgetScope scope) {
        Optional<BudgetRepository.CapRow> row = ledger.cap(scope);
        OptionalLong tokens = row.map(BudgetRepository.CapRow::dailyTokens)
                .or(() -> configuredCap(scope))
                .map(OptionalLong::of)
                .orElseGet(OptionalLong::empty);
        Optional<BigDecimal> usd = row.map(BudgetRepository.CapRow::dailyUsd).or(() -> configuredUsdCap(scope));
        return new Caps(tokens, usd);
    }

    /** The USD cap configured for a scope ({@code loopline.budget.money-caps.*}); a stored one wins over it. */
    private Optional<BigDecimal> configuredUsdCap(BudgetScope scope) {
        return switch (scope.kind()) {
            case GLOBAL -> config.moneyCaps().global();
            case TEAM -> Optional.ofNullable(config.moneyCaps().team().get(scope.id()));
            case LOOP -> Optional.ofNullable(config.moneyCaps().loop().get(scope.id()));
        };
    }

    /** The cap configured for a scope ({@code loopline.budget.caps.*}); a stored cap row wins over it. */
    private Optional<Long> configuredCap(BudgetScope scope) {
        return switch (scope.kind()) {
            case GLOBAL -> config.caps().global();
            case TEAM -> Optional.ofNullable(config.caps().team().get(scope.id()));
            case LOOP -> Optional.ofNullable(config.caps().loop().get(scope.id()));
        };
    }

    /**
     * The zone a scope's day is counted in: the zone stored with its cap, else (for a team) the configured
     * team zone; a loop's day follows its team when the reservation names one; otherwise the default.
     */
    private ZoneId zoneOf(BudgetScope scope, Optional<String> teamOfRequest) {
        return zoneOf(scope, teamOfRequest, s -> ledger.cap(s).map(BudgetRepository.CapRow::timeZone));
    }

    /** {@link #zoneOf(BudgetScope, Optional)} with the stored zones ({@code budget_cap.time_zone}) given. */
    private ZoneId zoneOf(
            BudgetScope scope, Optional<String> teamOfRequest, Function<BudgetScope, Optional<String>> storedZone) {
        Optional<String> stored = storedZone.apply(scope);
        if (stored.isPresent()) {
            return ZoneId.of(stored.get());
        }
        String team =
                switch (scope.kind()) {
                    case TEAM -> scope.id();
                    case LOOP -> teamOfRequest.orElse(null);
                    case GLOBAL -> null;
                };
        if (team != null) {
            Optional<String> teamZone = storedZone
                    .apply(new BudgetScope(BudgetScope.Kind.TEAM, team))
                    .or(() -> Optional.ofNullable(config.teamTimeZones().get(team)));
            if (teamZone.isPresent()) {
                return ZoneId.of(teamZone.get());
            }
        }
        return ZoneId.of(config.defaultTimeZone());
    }

    private static Instant nextDayStart(LocalDate day, ZoneId zone) {
        return day.plusDays(1).atStartOfDay(zone).toInstant();
    }

    private static ReservationState state(ReservationRow r) {
        return new ReservationState(
                r.id(),
                r.expected(),
                r.tokens(),
                r.status(),
                r.settledTokens(),
                r.overshootTokens(),
                r.model(),
                r.costUsd(),
                r.expiresAt());
    }
}
