package dev.loopline.gate.service;

import dev.loopline.core.control.Admission;
import dev.loopline.core.gate.GateRules;
import dev.loopline.gate.repository.TargetRepository;
import dev.loopline.gate.repository.TargetRepository.CommitIdentity;
import dev.loopline.gate.repository.TargetRepository.PushResult;
import dev.loopline.gate.repository.UnmergeableChangeException;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.ChangeDecided.Decision;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.spec.LoopSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Applies a loop's autonomy level and allowlist to a verified change: report it (L0/L1), push a branch and await a
 * human's approval (L2, and L3 outside the allowlist; {@link ApprovalService} opens the request), or fast-forward the base ref (L3 inside the allowlist,
 * only while the base has not moved). Handling the same verdict again yields the same commit id, so
 * every push is idempotent.
 */
public class GateService {

    /** How the gate names the branch it pushes for a tick. */
    public static String branchFor(String loopId, String tickId) {
        return GateRules.branchFor(loopId, tickId);
    }

    private final TargetRepository target;
    private final String committerName;
    private final String committerEmail;

    public GateService(TargetRepository target, String committerName, String committerEmail) {
        this.target = target;
        this.committerName = committerName;
        this.committerEmail = committerEmail;
    }

    /**
     * Decides on a {@code loopline.change.verified} event.
     *
     * @return the decision to publish, or empty for a rejected change (the agent retries it)
     * @throws dev.loopline.core.io.GitException when git fails in a way that may be transient
     */
    public Optional<ChangeDecided> decide(Event event) {
        return decide(event, Admission.RUN);
    }

    /**
     * Decides on a verdict under what the control topic says of the loop: a halt (kill switch, budget halt) pushes
     * nothing and decides {@code halted} with its code and reason; report-only treats the loop as L1 (report, push nothing).
     */
    public Optional<ChangeDecided> decide(Event event, Admission admission) {
        ChangeVerified verified = event.dataAs(ChangeVerified.class);
        String branch = branchFor(event.loopId(), event.tickId());
        GateRules.Route route = GateRules.route(verified, admission, branch);
        if (route instanceof GateRules.Retry) {
            return Optional.empty(); // the agent retries or ends the tick; nothing to push
        }
        if (route instanceof GateRules.Halt halt) {
            return Optional.of(new ChangeDecided(
                    Decision.HALTED,
                    halt.reason(),
                    null,
                    null,
                    verified.baseSha(),
                    verified.diffSha256(),
                    verified.tickTokens(),
                    halt.code()));
        }
        if (route instanceof GateRules.Report) {
            return Optional.of(decided(verified, Decision.REPORTED, route.reason(), null, null));
        }
        if (route instanceof GateRules.Escalate) {
            return Optional.of(decided(verified, Decision.ESCALATED, route.reason(), null, null));
        }
        return Optional.of(committed(event, verified, branch, route));
    }

    /** Commits the change on its base, then pushes the branch for approval or fast-forwards the base ref. */
    private ChangeDecided committed(Event event, ChangeVerified verified, String branch, GateRules.Route route) {
        LoopSpec spec = verified.spec();
        String repo = spec.target().repo();
        String commit;
        try {
            commit = target.commit(
                    repo,
                    verified.baseSha(),
                    verified.diff(),
                    "loopline(" + event.loopId() + "): tick " + event.tickId(),
                    new CommitIdentity(committerName, committerEmail, event.time()));
        } catch (UnmergeableChangeException e) {
            return decided(verified, Decision.ESCALATED, e.getMessage(), null, null);
        }
        if (route instanceof GateRules.FastForward) {
            return fastForward(verified, repo, branch, commit, spec.target().baseRefOrDefault());
        }
        return awaitApproval(verified, repo, branch, commit, route.reason());
    }

    private ChangeDecided fastForward(
            ChangeVerified verified, String repo, String branch, String commit, String baseRef) {
        String merged = "L3 change inside the allowlist: fast-forwarded " + baseRef;
        Optional<String> head = target.remoteHead(repo, baseRef);
        if (head.isPresent() && head.get().equals(commit)) {
            // a redelivered verdict: the first handling already merged this very commit
            return decided(verified, Decision.MERGED, merged, null, commit);
        }
        if (head.isEmpty() || !head.get().equals(verified.baseSha())) {
            return baseMoved(verified, repo, branch, commit, baseRef, head);
        }
        PushResult pushed = target.push(repo, commit, baseRef);
        if (pushed == PushResult.UPDATED) {
            return decided(verified, Decision.MERGED, merged, null, commit);
        }
        Optional<String> now = target.remoteHead(repo, baseRef);
        if (now.isPresent() && now.get().equals(commit)) {
            return decided(verified, Decision.MERGED, merged, null, commit);
        }
        return baseMoved(verified, repo, branch, commit, baseRef, now);
    }

    private ChangeDecided baseMoved(
            ChangeVerified verified, String repo, String branch, String commit, String baseRef, Optional<String> head) {
        if (head.isPresent() && target.isAncestor(repo, commit, head.get())) {
            // merged by an earlier handling of this verdict, and others have built on it since
            return decided(
                    verified,
                    Decision.MERGED,
                    "L3 change inside the allowlist: fast-forwarded " + baseRef,
                    null,
                    commit);
        }
        Optional<String> equivalent = head.flatMap(h -> target.mergedEquivalent(repo, commit, verified.baseSha(), h));
        if (equivalent.isPresent()) {
            // merged by an earlier handling of another verdict event for this change (the same tree on the same base)
            return decided(
                    verified,
                    Decision.MERGED,
                    "L3 change inside the allowlist: fast-forwarded " + baseRef,
                    null,
                    equivalent.get());
        }
        String where = head.map(h -> baseRef + " is at " + h).orElse(baseRef + " no longer exists");
        return propose(
                verified,
                repo,
                branch,
                commit,
                "base moved: " + where + ", not the verified base " + verified.baseSha()
                        + "; pushed a branch instead of merging");
    }

    private ChangeDecided propose(ChangeVerified verified, String repo, String branch, String commit, String reason) {
        return pushBranch(verified, repo, branch, commit, reason, Decision.PROPOSED);
    }

    /**
     * Pushes the branch and decides {@code awaiting-approval}: the caller opens the approval request, bound to this
     * commit, before the decision is published.
     */
    private ChangeDecided awaitApproval(
            ChangeVerified verified, String repo, String branch, String commit, String reason) {
        return pushBranch(verified, repo, branch, commit, reason, Decision.AWAITING_APPROVAL);
    }

    private ChangeDecided pushBranch(
            ChangeVerified verified, String repo, String branch, String commit, String reason, Decision decision) {
        if (target.push(repo, commit, branch) == PushResult.REJECTED) {
            Optional<String> existing = target.remoteHead(repo, branch);
            if (existing.isPresent() && target.sameChange(repo, existing.get(), commit)) {
                // an earlier handling of another verdict event for this change pushed it with another date
                return decided(verified, decision, reason, branch, existing.get());
            }
            return decided(
                    verified,
                    Decision.ESCALATED,
                    "branch " + branch + " already exists on the target with a different commit",
                    null,
                    commit);
        }
        return decided(verified, decision, reason, branch, commit);
    }

    private static ChangeDecided decided(
            ChangeVerified verified, Decision decision, String reason, String branch, String commit) {
        return new ChangeDecided(
                decision, reason, branch, commit, verified.baseSha(), verified.diffSha256(), verified.tickTokens());
    }

    /** Hex SHA-256 of the diff's UTF-8 bytes, as the maker computed {@code diffSha256}. */
    public static String sha256(String diff) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(diff.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
