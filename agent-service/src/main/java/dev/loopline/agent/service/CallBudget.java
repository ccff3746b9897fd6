package dev.loopline.agent.service;

import dev.loopline.agent.client.BudgetLedger;
import dev.loopline.makers.llm.BudgetStop;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Holds for one attempt's model calls, for makers that reserve before every call (openai, anthropic) instead of once
 * per run: call {@code n}'s hold is keyed (tick, attempt, n), so a redelivered tick that makes the same call again gets
 * the same hold from the ledger and is charged once.
 */
public final class CallBudget {

    private static final Logger LOG = Logger.getLogger(CallBudget.class);

    private final BudgetLedger ledger;
    private final String loopId;
    private final String team;
    private final String tickId;
    private final int attempt;
    private final String model;
    private final Duration ttl;
    private final Long loopDailyTokens;

    public CallBudget(
            BudgetLedger ledger,
            String loopId,
            String team,
            String tickId,
            int attempt,
            String model,
            Duration ttl,
            Long loopDailyTokens) {
        this.ledger = ledger;
        this.loopId = loopId;
        this.team = team;
        this.tickId = tickId;
        this.attempt = attempt;
        this.model = model;
        this.ttl = ttl;
        this.loopDailyTokens = loopDailyTokens;
    }

    /** No ledger: every hold is granted and nothing is recorded (unit tests of one maker). */
    public static CallBudget unlimited() {
        return new CallBudget(BudgetLedger.disabled(), null, null, null, 0, null, Duration.ZERO, null);
    }

    /**
     * Holds {@code tokens} for model call {@code call} (0-based) of this attempt.
     *
     * @throws BudgetStop when the ledger refuses the hold or cannot be asked (without usage: the caller adds
     *     what the run used)
     */
    public BudgetLedger.Granted hold(int call, long tokens) {
        BudgetLedger.Reservation reservation = ledger.reserve(
                loopId,
                team,
                tokens,
                model,
                ttl,
                new BudgetLedger.HoldFor(BudgetLedger.key(tickId, attempt, call), loopDailyTokens));
        if (reservation instanceof BudgetLedger.Refused refused) {
            throw new BudgetStop(true, refused.reason(), null);
        }
        if (reservation instanceof BudgetLedger.Unavailable unavailable) {
            throw new BudgetStop(false, ProposalService.LEDGER_UNAVAILABLE + unavailable.reason(), null);
        }
        BudgetLedger.Granted granted = (BudgetLedger.Granted) reservation;
        if (granted.replayed()) {
            LOG.infof(
                    "tick %s attempt %d call %d: the ledger already had this call's hold %s (a redelivery); it is"
                            + " charged once",
                    tickId, attempt, call, granted.id());
        }
        return granted;
    }

    /** Settles the call's hold with what the call used, or releases it when it used nothing. Never throws. */
    public void settle(BudgetLedger.Granted hold, long tokens, long inputTokens) {
        if (!hold.held()) {
            return;
        }
        // a halt interrupts the maker's thread, possibly mid-call: the call's tokens must still reach the ledger, so
        // the flag is set aside for the request and put back after it
        boolean interrupted = Thread.interrupted();
        try {
            if (tokens > 0) {
                ledger.settle(hold, tokens, model, inputTokens);
            } else {
                ledger.release(hold);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
