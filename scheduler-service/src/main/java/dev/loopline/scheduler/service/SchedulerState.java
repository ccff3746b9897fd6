package dev.loopline.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.random.RandomGenerator;

/**
 * The only mutable state the scheduler keeps in memory, shared by its parts: the {@link LoopCatalog} read last
 * (replaced whole on every reload, read without a lock) and the random source, which is not thread-safe, for tick
 * ids and jittered slots. Everything that must hold across replicas and restarts is in the {@link SchedulerStore}.
 */
@ApplicationScoped
public class SchedulerState {

    private static final DateTimeFormatter TICK_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final RandomGenerator random;
    private final Object randomLock = new Object();
    private volatile LoopCatalog catalog = LoopCatalog.EMPTY;

    public SchedulerState(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /** The registry as read last; one snapshot per operation keeps the operation consistent. */
    LoopCatalog catalog() {
        return catalog;
    }

    void replace(LoopCatalog next) {
        catalog = next;
    }

    /** The scheduler's clock to the microsecond, the precision the store keeps. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** A new tick id: {@code yyyyMMdd'T'HHmmss'Z'-<8 random hex>} in UTC. */
    String newTickId(Instant now) {
        synchronized (randomLock) {
            return TICK_TIME.format(now) + "-" + String.format("%08x", random.nextInt());
        }
    }

    /** A loop's first slot, as for a new loop (within the first-run jitter). */
    Instant firstSlot(RegisteredLoop r, Instant now, Duration firstRunJitter) {
        synchronized (randomLock) {
            return r.timing().first(now, firstRunJitter, random);
        }
    }

    /** A loop's next slot after {@code from}. */
    Instant slotAfter(RegisteredLoop r, Instant from) {
        synchronized (randomLock) {
            return r.timing().after(from, random);
        }
    }
}
