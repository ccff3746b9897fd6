package dev.loopline.agent.service;

import dev.loopline.agent.client.BudgetLedger;
import dev.loopline.agent.config.AgentConfig;
import dev.loopline.core.guard.injection.UntrustedText;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import dev.loopline.core.io.GitMirror;
import dev.loopline.core.maker.WorktreeChange;
import dev.loopline.core.retry.RetryBreaker;
import dev.loopline.makers.claude.RunProcesses;
import dev.loopline.makers.llm.BudgetStop;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.EarlierAttempt;
import dev.loopline.schemas.events.EventData;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.spec.LoopSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One attempt of a tick: sync the mirror, resolve the base commit, run the maker in a throwaway worktree,
 * and turn what it changed into a {@link ChangeProposed} — or a {@link TickCompleted} when there is
 * nothing to propose or the attempt cannot run. The worktree is always removed before this returns.
 */
@ApplicationScoped
public class ProposalService {

    private static final Logger LOG = Logger.getLogger(ProposalService.class);

    @Inject
    AgentConfig config;

    @Inject
    GitMirror mirrors;

    @Inject
    Makers makers;

    @Inject
    MeterRegistry registry;

    @Inject
    UntrustedText untrusted;

    @Inject
    BudgetLedger ledger;

    @Inject
    WorkerHome home;

    private final Git git = new Git();

    /**
     * What a worker killed without warning (SIGKILL, OOM, a node lost) left on this work directory: its makers'
     * processes first (they may still write into a worktree), then its worktrees and scratch files. Its budget holds
     * need nothing: a redelivered attempt reserves under the same idempotency key and settles that very hold, and a
     * hold nobody comes back for expires at its TTL. Observed first, before any consumer hands this worker a tick.
     */
    void sweepLeftovers(@Observes @Priority(1) StartupEvent started) {
        int processes = RunProcesses.killLeftBy(home.id());
        mirrors.sweep();
        int files = home.clearScratch();
        if (processes > 0 || files > 0) {
            LOG.infof(
                    "removed what an earlier run of this worker left in %s: %d maker process(es), %d scratch file(s)",
                    home.workDir(), processes, files);
        }
    }

    /**
     * @param tokensSoFar tokens used by earlier attempts of the tick
     * @param earlier what the checker said about each earlier attempt, oldest first (carried on in the proposal)
     * @return a {@link ChangeProposed} or a {@link TickCompleted}
     */
    public EventData attempt(
            String loopId,
            String tickId,
            LoopSpec spec,
            int attempt,
            long tokensSoFar,
            List<String> reflections,
            List<EarlierAttempt> earlier,
            RunningTick tick) {
        if (spec.maker() == null) {
            return error(tokensSoFar, attempt, "spec has no maker");
        }
        if (spec.task() != null) {
            // checked before any maker sees it, on every attempt: a spec can change between attempts
            Optional<String> refused = untrusted.refusal("the task", spec.task());
            if (refused.isPresent()) {
                return escalated(tokensSoFar, attempt, refused.get());
            }
        }
        String type = spec.maker().type();
        Maker maker = makers.forType(type).orElse(null);
        if (maker == null) {
            return error(tokensSoFar, attempt, "maker type " + type + " not available yet");
        }
        registry.counter("loopline.agent.attempts", "maker", type).increment();
        Path mirror;
        String baseRef = spec.target().baseRefOrDefault();
        String baseSha;
        try {
            mirror = mirrors.sync(spec.target().repo());
            baseSha = mirrors.resolveCommit(mirror, baseRef);
        } catch (GitException | UncheckedIOException e) {
            return error(tokensSoFar, attempt, "cannot read target repository: " + e.getMessage());
        }
        if (tick.halted().isPresent()) {
            return AgentService.halted(tokensSoFar, attempt, tick.halted().get());
        }
        Path worktree;
        try {
            worktree = mirrors.addWorktree(mirror, tickId + "-" + attempt, baseSha);
        } catch (GitException e) {
            return error(tokensSoFar, attempt, "cannot check out " + baseSha + ": " + e.getMessage());
        }
        MakerResult made;
        WorktreeChange change;
        try {
            // the hold comes last before the maker: nothing between it and the maker can fail the attempt
            MakerRequest request = new MakerRequest(
                    worktree,
                    spec,
                    loopId,
                    tickId,
                    attempt,
                    reflections,
                    () -> tick.halted().isPresent(),
                    maker.holdsPerCall()
                            ? new CallBudget(
                                    ledger,
                                    loopId,
                                    tick.team(),
                                    tickId,
                                    attempt,
                                    spec.maker().model(),
                                    holdTtl(),
                                    dailyTokens(spec))
                            : null,
                    home);
            // a maker holding per model call reserves before each call itself; the others are held for the whole run
            BudgetLedger.Reservation reservation = maker.holdsPerCall()
                    ? new BudgetLedger.Granted(null, 0)
                    : reserve(spec, tick, attempt, maker.model(request));
            if (reservation instanceof BudgetLedger.Refused refused) {
                registry.counter("loopline.agent.budget.refusals").increment();
                LOG.infof("tick %s attempt %d not run: %s", tickId, attempt, refused.reason());
                return TickCompleted.halted(TickCompleted.Halt.BUDGET, tokensSoFar, attempt, refused.reason());
            }
            if (reservation instanceof BudgetLedger.Unavailable unavailable) {
                registry.counter("loopline.agent.budget.unavailable").increment();
                // fail closed: no maker runs without a hold. The tick is halted, not escalated: an unreachable
                // ledger says nothing about the loop, and must not count towards its stall breaker
                return TickCompleted.halted(
                        TickCompleted.Halt.BUDGET, tokensSoFar, attempt, LEDGER_UNAVAILABLE + unavailable.reason());
            }
            BudgetLedger.Granted hold = (BudgetLedger.Granted) reservation;
            made = accounted(maker, request, tick, hold);
            if (tick.halted().isPresent()) {
                return AgentService.halted(
                        tokensSoFar + made.usage().total(),
                        attempt,
                        tick.halted().get());
            }
            change = diff(worktree, baseSha);
        } catch (RunningTick.HaltedException e) {
            return AgentService.halted(tokensSoFar, attempt, e.halt());
        } catch (BudgetStop e) {
            long tokens = tokensSoFar + e.usage().total();
            if (e.refused()) {
                registry.counter("loopline.agent.budget.refusals").increment();
                LOG.infof("tick %s attempt %d stopped before a model call: %s", tickId, attempt, e.getMessage());
                return TickCompleted.halted(TickCompleted.Halt.BUDGET, tokens, attempt, e.getMessage());
            }
            registry.counter("loopline.agent.budget.unavailable").increment();
            // an unreachable ledger says nothing about the loop: halted, not counted by the stall breaker
            return TickCompleted.halted(TickCompleted.Halt.BUDGET, tokens, attempt, e.getMessage());
        } catch (EscalationException | MakerException | DiffException e) {
            // tokens a maker spent before failing (or before a halt stopped it) count for the tick as they do on
            // the ledger
            long tokens = e instanceof MakerException failed
                    ? tokensSoFar + failed.usage().total()
                    : tokensSoFar;
            // a maker stopped by a halt fails (its process was killed): the halt is the reason, not the failure
            if (tick.halted().isPresent()) {
                LOG.infof(
                        "tick %s attempt %d halted: %s",
                        tickId, attempt, tick.haltReason().get());
                return AgentService.halted(tokens, attempt, tick.halted().get());
            }
            return e instanceof EscalationException
                    ? escalated(tokens, attempt, e.getMessage())
                    : error(tokens, attempt, e.getMessage());
        } finally {
            mirrors.removeWorktree(mirror, worktree);
        }
        long tickTokens = tokensSoFar + made.usage().total();
        if (change.diff().isEmpty()) {
            return new TickCompleted(
                    TickCompleted.Outcome.NO_OP, tickTokens, attempt, "maker made no change", null, null);
        }
        String diffSha256 = GitMirror.sha256Hex(change.diff());
        Optional<String> noProgress = RetryBreaker.noProgress(earlier, attempt, diffSha256);
        if (noProgress.isPresent()) {
            // the checker rejected this very diff before: verifying it again would only spend its time
            registry.counter("loopline.agent.breaker", "why", "no-progress").increment();
            return escalated(tickTokens, attempt, noProgress.get());
        }
        Usage usage = made.usage();
        LOG.infof(
                "tick %s attempt %d proposes %d file(s) on %s",
                tickId, attempt, change.files().size(), baseSha);
        return new ChangeProposed(
                baseRef,
                baseSha,
                change.diff(),
                diffSha256,
                change.files(),
                made.summary(),
                new ChangeProposed.MakerInfo(type, spec.maker().model()),
                usage,
                tickTokens,
                spec,
                made.findings(),
                earlier);
    }

    /** Reason prefix of an attempt not run because the ledger could not be asked. */
    static final String LEDGER_UNAVAILABLE = "budget ledger unavailable: ";

    /** Longest hold state-service grants. */
    static final Duration MAX_HOLD = Duration.ofHours(1);

    private BudgetLedger.Reservation reserve(LoopSpec spec, RunningTick tick, int attempt, String model) {
        long tokens = spec.tokensPerRunOr(config.budget().defaultTokensPerRun());
        // one hold per run (call 0): a redelivered tick asks for the same key and gets the same hold
        BudgetLedger.Reservation reservation = ledger.reserve(
                tick.loopId(),
                tick.team(),
                tokens,
                model,
                holdTtl(),
                new BudgetLedger.HoldFor(BudgetLedger.key(tick.tickId(), attempt, 0), dailyTokens(spec)));
        if (reservation instanceof BudgetLedger.Granted granted && granted.held()) {
            LOG.infof(
                    "tick %s attempt %d reserved %d tokens (reservation %s)",
                    tick.tickId(), attempt, granted.tokens(), granted.id());
        }
        return reservation;
    }

    /** The loop's declared daily cap (spec {@code budget.dailyTokens}, or a registry pattern's suggested cap). */
    static Long dailyTokens(LoopSpec spec) {
        return spec.budget() == null ? null : spec.budget().dailyTokens();
    }

    /** The makers' longest time limit plus a margin: a hold outlives the run it covers. */
    Duration holdTtl() {
        Duration limit = config.shellTimeout().compareTo(config.model().runTimeout()) >= 0
                ? config.shellTimeout()
                : config.model().runTimeout();
        Duration ttl = limit.plus(config.budget().holdMargin());
        return ttl.compareTo(MAX_HOLD) > 0 ? MAX_HOLD : ttl;
    }

    /**
     * Runs the maker and then settles the hold with the tokens it reported — also when it failed after spending
     * ({@link MakerException#usage()}) — or releases the hold when it spent nothing or never ran (halted before it
     * started, crashed). A settlement or release that fails is logged by the ledger client and never fails the
     * attempt: the hold then expires by itself at its TTL.
     */
    private MakerResult accounted(Maker maker, MakerRequest request, RunningTick tick, BudgetLedger.Granted hold) {
        Usage used = Usage.NONE;
        try {
            MakerResult made = tick.interruptibly(() -> maker.make(request));
            used = made.usage() == null ? Usage.NONE : made.usage();
            return made;
        } catch (MakerException e) {
            used = e.usage();
            throw e;
        } finally {
            if (hold.held()) {
                if (used.total() > 0) {
                    ledger.settle(hold, used.total(), maker.model(request), used.inputTokens());
                    LOG.infof(
                            "tick %s attempt %d settled %d of %d reserved tokens (reservation %s%s)",
                            request.tickId(),
                            request.attempt(),
                            used.total(),
                            hold.tokens(),
                            hold.id(),
                            hold.replayed() ? ", already charged by an earlier delivery" : "");
                } else {
                    ledger.release(hold);
                    LOG.infof(
                            "tick %s attempt %d spent no tokens; released reservation %s",
                            request.tickId(), request.attempt(), hold.id());
                }
            }
        }
    }

    static class DiffException extends RuntimeException {
        DiffException(String message) {
            super(message);
        }
    }

    /** Everything the maker changed (core's {@link WorktreeChange}, as the CLI's one-process run computes it). */
    private WorktreeChange diff(Path worktree, String baseSha) {
        try {
            return WorktreeChange.of(git, worktree, baseSha, config.maxDiffBytes(), home.scratch());
        } catch (WorktreeChange.Failed e) {
            throw new DiffException(e.getMessage());
        }
    }

    private static TickCompleted escalated(long tokens, int attempts, String reason) {
        return new TickCompleted(TickCompleted.Outcome.ESCALATED, tokens, attempts, reason, null, null);
    }

    private static TickCompleted error(long tokens, int attempts, String reason) {
        return new TickCompleted(TickCompleted.Outcome.ERROR, tokens, attempts, reason, null, null);
    }
}
