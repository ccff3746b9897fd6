package dev.loopline.state.budget;

import dev.loopline.state.budget.BudgetRepository.ChargeRow;
import dev.loopline.state.budget.BudgetRepository.ReservationRow;
import dev.loopline.state.control.ControlService;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The budget ledger's writes, in tokens and in USD: reserve a hold, settle it into spend, release it, expire holds.
 * Caps and day boundaries come from {@link BudgetCaps}, costs from {@link BudgetPrices}; reports are {@link
 * BudgetOverviewService}'s. Invariant, per scope, day and unit: settled + live holds ≤ cap, under any
 * concurrency and with any number of replicas on one database. A hold's USD is an upper bound of its cost (its tokens
 * at the reserved model's higher per-token price), so settling it within its tokens never exceeds a money cap. The
 * invariant holds because every change that can raise a scope-day's
 * total is made while that scope-day's {@code budget_period} row is locked ({@code SELECT … FOR UPDATE}), and
 * the check reads the totals after taking the lock. Locks are taken in one global order (scope kind, id),
 * so two reservations sharing scopes cannot deadlock. Holds stop counting at {@code expires_at} — the
 * check filters on it — so an unswept expired hold never blocks anyone.
 */
@ApplicationScoped
public class BudgetLedgerService {

    public static final String HELD = "held";
    public static final String SETTLED = "settled";
    public static final String RELEASED = "released";
    public static final String EXPIRED = "expired";

    /** Reservations are decided again when the stored zones or kill switches change under them; this many times. */
    private static final int MAX_RESERVE_ATTEMPTS = 5;

    private static final int MAX_REMEMBERED_ZONES = 10_000;

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
    BudgetCaps budgetCaps;

    @Inject
    BudgetPrices prices;

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
                held, model, prices.maxCostOf(model, held), held > tokens ? tokens : null, terms.idempotencyKey());
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
                ZoneId zone = budgetCaps.zoneOf(scope, team, stored);
                LocalDate day = now.atZone(zone).toLocalDate();
                charges.add(new Charge(scope, day));
                scopeDays.add(new ReserveCall.ScopeDay(
                        scope,
                        day,
                        storedZones.get(scope),
                        budgetCaps.configuredCap(scope).orElse(null),
                        budgetCaps.configuredUsdCap(scope).orElse(null),
                        BudgetCaps.nextDayStart(day, zone),
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
                throw new UnpricedModelException(unpriced.scope(), model, prices.pricedModels());
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
        BigDecimal cost = prices.costOf(costModel, actualTokens, inputTokens);
        List<ChargeRow> charges = ledger.charges(id);
        Optional<String> team = charges.stream()
                .map(ChargeRow::scope)
                .filter(s -> s.kind() == BudgetScope.Kind.TEAM)
                .map(BudgetScope::id)
                .findFirst();
        List<Runnable> thresholdChecks = new ArrayList<>();
        for (ChargeRow charge : charges) {
            BudgetRepository.Settled settled = ledger.lockPeriod(charge.scope(), charge.day());
            BudgetCaps.Caps caps = budgetCaps.capsOf(charge.scope());
            if (!caps.any()) {
                continue;
            }
            BudgetRepository.Holds others = ledger.liveHolds(charge.scope(), charge.day(), now, id);
            ZoneId zone = budgetCaps.zoneOf(charge.scope(), team);
            Instant resetsAt = BudgetCaps.nextDayStart(charge.day(), zone);
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
                    throw new UnpricedModelException(charge.scope(), costModel, prices.pricedModels());
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
     * Logs every threshold this use newly reaches, in the unit with the higher fraction of its cap ({@code usedUsd}
     * is null without a money cap); each is published after commit. Runs under the period lock.
     */
    private void recordThresholds(
            BudgetScope scope,
            LocalDate day,
            long used,
            BigDecimal usedUsd,
            BudgetCaps.Caps caps,
            Instant resetsAt,
            Instant now) {
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
