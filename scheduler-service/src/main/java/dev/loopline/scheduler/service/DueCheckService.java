package dev.loopline.scheduler.service;

import dev.loopline.core.schedule.FairShare;
import dev.loopline.scheduler.service.SchedulerStore.LoopState;
import dev.loopline.scheduler.service.SchedulerStore.SlotClaim;
import dev.loopline.scheduler.service.SchedulerStore.TickLease;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.http.LoopStatus;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The cadence/cron due-check: triggers every loop whose slot has come, at most the free share of {@code
 * maxInFlight} ticks in flight across all replicas, picked fairly between teams by {@link FairShare}; the others
 * stay due. Meant to run on the replica that holds {@link LeaderElection leadership} ({@code SchedulerJobs}); each
 * slot is taken with a conditional update, so a run is triggered once even when two replicas check at once.
 */
@ApplicationScoped
public class DueCheckService {

    private static final Logger LOG = Logger.getLogger(DueCheckService.class);

    /** How many due runs start at once (each a lease transaction and a broker acknowledgement). */
    static final int DISPATCH_THREADS = 8;

    private final SchedulerSettings settings;
    private final SchedulerStore store;
    private final SchedulerState state;
    private final TickStarter starter;
    private final FairShare fairShare;
    /** This instance's own starters, shut down with it; idle threads end after a while. */
    private final ThreadPoolExecutor dispatch = new ThreadPoolExecutor(
            DISPATCH_THREADS, DISPATCH_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                Thread t = new Thread(task, "scheduler-dispatch");
                t.setDaemon(true);
                return t;
            });

    public DueCheckService(
            SchedulerSettings settings, SchedulerStore store, SchedulerState state, TickStarter starter) {
        this.settings = settings;
        this.store = store;
        this.state = state;
        this.starter = starter;
        this.fairShare = new FairShare(settings.teamWeights());
        dispatch.allowCoreThreadTimeOut(true);
    }

    /** Stops the starter threads; a due-check under way is interrupted and its slots stay due. */
    @PreDestroy
    public void shutdown() {
        dispatch.shutdownNow();
    }

    /**
     * Triggers every loop whose slot is due, at most the free share of {@code maxInFlight}, picked fairly between
     * teams. A due loop with a tick in flight skips that slot; one whose repository has a writing tick in flight, or
     * that did not get a free slot, stays due for the next check.
     *
     * @return the published TickTriggered events
     */
    public List<Event> runDue() {
        Instant now = state.now();
        LoopCatalog catalog = state.catalog();
        Map<String, LoopState> states = store.states(settings.anomalyWindow());
        List<TickLease> live = store.liveLeases(now);
        Set<String> loopsInFlight = new HashSet<>();
        Set<String> reposWritten = new HashSet<>();
        Map<String, Integer> inFlightByTeam = new HashMap<>();
        for (TickLease lease : live) {
            loopsInFlight.add(lease.loopId());
            if (lease.writes()) {
                reposWritten.add(lease.repo());
            }
            inFlightByTeam.merge(lease.team(), 1, Integer::sum);
        }

        List<FairShare.Candidate> due = new ArrayList<>();
        for (RegisteredLoop r : catalog.loops().values()) {
            LoopState s = states.get(r.id());
            if (s == null || s.nextRunAt() == null || s.nextRunAt().isAfter(now) || s.held() || !r.runsOnSchedule()) {
                continue;
            }
            if (loopsInFlight.contains(r.id())) {
                LOG.infof("skipping run of %s due at %s: a tick is in flight", r.id(), s.nextRunAt());
                store.skipSlot(r.id(), s.nextRunAt(), state.slotAfter(r, now), null);
                continue;
            }
            if (r.writes() && reposWritten.contains(r.repo())) {
                LOG.debugf("run of %s waits: another writing loop has a tick in flight on %s", r.id(), r.repo());
                continue;
            }
            due.add(new FairShare.Candidate(
                    r.id(), r.spec().teamOrDefault(), r.spec().priorityOrDefault(), s.nextRunAt()));
        }
        int free = settings.maxInFlight() - live.size();
        List<FairShare.Candidate> picked = fairShare.pick(due, inFlightByTeam, free);
        if (picked.size() < due.size()) {
            LOG.infof(
                    "%d loops due, %d of %d tick slots free: %d stay due",
                    due.size(), Math.max(0, free), settings.maxInFlight(), due.size() - picked.size());
        }

        List<Event> published = new ArrayList<>();
        // Each start is a database transaction and a broker acknowledgement: run several at once, so a due-check
        // with many loops due takes a few round trips instead of one per loop (the leases keep them apart).
        // Two writing loops of one repository picked together: the first in fair-share order runs, the other
        // stays due (the lease would refuse it anyway; this keeps the choice deterministic).
        List<Callable<Event>> starts = new ArrayList<>(picked.size());
        Set<String> reposClaimed = new HashSet<>(reposWritten);
        for (FairShare.Candidate c : picked) {
            RegisteredLoop r = catalog.loops().get(c.loopId());
            if (r.writes() && !reposClaimed.add(r.repo())) {
                continue;
            }
            starts.add(() -> startDue(r, states.get(c.loopId()), c.dueAt(), now));
        }
        try {
            for (Future<Event> started : dispatch.invokeAll(starts)) {
                Event event = started.get();
                if (event != null) {
                    published.add(event);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warnf(
                    e.getCause(),
                    "due check failed, will retry: %s",
                    e.getCause().getMessage());
        }
        return published;
    }

    /** Admission, then the lease and the publish, of one due run; null when it did not start. */
    private Event startDue(RegisteredLoop r, LoopState s, Instant slot, Instant now) {
        Admission.Decision decision = starter.admit(r);
        if (!decision.allowed()) {
            LoopStatus.Refusal refusal = new LoopStatus.Refusal(decision.reason(), now);
            if (decision.verdict() == Admission.Decision.Verdict.REFUSE) {
                LOG.warnf("run of %s due at %s skipped, admission refused: %s", r.id(), slot, decision.reason());
                store.skipSlot(r.id(), slot, state.slotAfter(r, now), refusal);
            } else {
                LOG.warnf("run of %s due at %s waits, admission unavailable: %s", r.id(), slot, decision.reason());
                store.recordRefusal(r.id(), refusal);
            }
            return null;
        }
        SlotClaim claim = new SlotClaim(slot, state.slotAfter(r, now), s.lastSlot(), s.lastTriggeredAt());
        try {
            return starter.start(r, r.timing().trigger(slot), now, claim, s.lastTriggeredAt(), decision);
        } catch (TriggerRefusedException e) {
            LOG.warnf("%s; will retry at the next due check", e.getMessage());
            return null;
        }
    }
}
