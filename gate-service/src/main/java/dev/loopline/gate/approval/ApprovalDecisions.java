package dev.loopline.gate.approval;

import dev.loopline.core.auth.Caller;
import dev.loopline.gate.approval.ApprovalNotice.Channel;
import dev.loopline.schemas.http.ProblemType;
import java.util.Optional;

/**
 * The one way a human decides an approval request, whatever the channel (REST, CLI, Slack, dashboard). Deciding is
 * idempotent: the same caller voting twice counts once, and exactly one merge and one decision follow a quorum.
 */
public interface ApprovalDecisions {

    /** The request, or empty when no request has that id. */
    Optional<ApprovalNotice> find(String id);

    /**
     * Records {@code caller}'s approval or rejection.
     *
     * @param comment free text, required for a rejection
     * @return what happened, or why the vote was refused (not an approver of the team, triggered the tick, request
     *     no longer open, ...)
     */
    Outcome decide(String id, boolean approve, Caller caller, Channel channel, String comment);

    /**
     * The answer to a vote.
     *
     * @param accepted whether the vote was counted (a repeated identical vote counts as accepted)
     * @param refusal the problem when not accepted (HTTP status and slug come from it), else null
     * @param message a sentence for the human: "approved (1 of 2)", "merged into main as 3f2a...", why refused
     * @param notice the request after the vote, or null when there is no such request
     */
    record Outcome(boolean accepted, ProblemType refusal, String message, ApprovalNotice notice) {}
}
