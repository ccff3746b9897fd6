package dev.loopline.gate.service;

import dev.loopline.core.control.Admission;
import dev.loopline.core.diff.DiffParseException;
import dev.loopline.core.diff.DiffParser;
import dev.loopline.core.guard.HumanApprovable;
import dev.loopline.core.guard.harness.HarnessCheck;
import dev.loopline.core.guard.harness.HarnessFinding;
import dev.loopline.core.guard.harness.Tree;
import dev.loopline.core.policy.AllowlistDecision;
import dev.loopline.core.policy.AllowlistPolicy;
import dev.loopline.gate.repository.TargetRepository;
import dev.loopline.gate.repository.TargetRepository.CommitIdentity;
import dev.loopline.gate.repository.TargetRepository.PushResult;
import dev.loopline.gate.repository.UnmergeableChangeException;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.ChangeDecided.Decision;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.spec.LoopSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
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
        return "loopline/" + loopId + "/" + tickId;
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
        return switch (verified.verdict()) {
            case REJECT, ERROR -> Optional.empty(); // the agent retries or ends the tick; nothing to push
            case ESCALATE -> humanMayApprove(verified)
                    ? Optional.of(accept(event, verified, admission))
                    : Optional.of(decided(verified, Decision.ESCALATED, escalationReason(verified), null, null));
            case ACCEPT -> Optional.of(accept(event, verified, admission));
        };
    }

    private ChangeDecided accept(Event event, ChangeVerified verified, Admission admission) {
        String actualSha = sha256(verified.diff());
        if (!actualSha.equals(verified.diffSha256())) {
            return decided(
                    verified,
                    Decision.ESCALATED,
                    "diff does not match diffSha256: the verified hash is " + verified.diffSha256()
                            + " but the diff hashes to " + actualSha,
                    null,
                    null);
        }
        if (admission instanceof Admission.Halt halt) {
            return new ChangeDecided(
                    Decision.HALTED,
                    halt.reason() + "; nothing pushed",
                    null,
                    null,
                    verified.baseSha(),
                    verified.diffSha256(),
                    verified.tickTokens(),
                    halt.code());
        }
        LoopSpec spec = verified.spec();
        if (admission instanceof Admission.ReportOnly limited
                && spec.level() != LoopSpec.Level.L0
                && spec.level() != LoopSpec.Level.L1) {
            return decided(
                    verified,
                    Decision.REPORTED,
                    "report-only (" + limited.reason() + "): reported as at L1; nothing pushed",
                    null,
                    null);
        }
        if (spec.level() == LoopSpec.Level.L0 || spec.level() == LoopSpec.Level.L1) {
            String what = spec.level() == LoopSpec.Level.L0 ? "L0 is plan-only" : "L1 is report-only";
            return decided(verified, Decision.REPORTED, what + "; nothing pushed", null, null);
        }
        String pinned = pinnedChange(verified);
        if (pinned != null && (spec.level() != LoopSpec.Level.L2 || pinned.startsWith(UNPARSEABLE))) {
            return decided(verified, Decision.ESCALATED, pinned, null, null);
        }
        String baseRef = spec.target().baseRefOrDefault();
        if (!baseRef.equals(verified.baseRef())) {
            return decided(
                    verified,
                    Decision.ESCALATED,
                    "the change was verified against " + verified.baseRef() + " but the loop targets " + baseRef,
                    null,
                    null);
        }
        AllowlistDecision allowlist = null;
        if (spec.level() == LoopSpec.Level.L3 && spec.allowlist() != null) {
            try {
                allowlist = policyFor(spec.allowlist()).evaluate(DiffParser.parse(verified.diff()));
            } catch (DiffParseException e) {
                // what cannot be parsed cannot be shown to stay inside the allowlist
                return decided(
                        verified, Decision.ESCALATED, "the diff cannot be parsed: " + e.getMessage(), null, null);
            }
        }
        String repo = spec.target().repo();
        String branch = branchFor(event.loopId(), event.tickId());
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
        if (spec.level() == LoopSpec.Level.L2) {
            return awaitApproval(
                    verified,
                    repo,
                    branch,
                    commit,
                    verified.humanMayApprove()
                            ? "the checker escalated (" + escalationReason(verified)
                                    + "); never merged unattended, so L2 proposes branch " + branch
                                    + " for a human's approval"
                            : pinned != null ? pinned : "L2 proposes branch " + branch + " for review");
        }
        if (allowlist == null) {
            return awaitApproval(verified, repo, branch, commit, "L3 without an allowlist falls back to propose");
        }
        if (!allowlist.allowed()) {
            return awaitApproval(
                    verified,
                    repo,
                    branch,
                    commit,
                    "L3 change outside the allowlist: " + String.join("; ", allowlist.reasons()));
        }
        return fastForward(verified, repo, branch, commit, baseRef);
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

    /**
     * Why the change must not leave the gate unattended because it touches the pinned test harness or a loop
     * spec, or null. The guard escalates such changes itself; the gate checks again (the findings it was handed,
     * and every pin it can tell by name without the base tree), so no single component's mistake merges one.
     */
    static String pinnedChange(ChangeVerified verified) {
        if (verified.findings() != null) {
            for (var finding : verified.findings()) {
                if (HarnessFinding.HARNESS_CHANGED.equals(finding.ruleId())
                        || HarnessFinding.LOOP_SPEC_CHANGED.equals(finding.ruleId())) {
                    return pinnedReason(finding.ruleId() + ": " + finding.file() + " " + finding.message());
                }
            }
        }
        LoopSpec spec = verified.spec();
        String command = spec.test() == null ? null : spec.test().command();
        HarnessCheck.Result byName;
        try {
            byName = new HarnessCheck(command, spec.protectedOrEmpty())
                    .check(DiffParser.parse(verified.diff()), Tree.empty(), Tree.empty());
        } catch (DiffParseException | RuntimeException e) {
            // what cannot be parsed cannot be shown to leave the harness alone
            return UNPARSEABLE + e.getMessage();
        }
        if (!byName.clean()) {
            HarnessFinding first = byName.findings().get(0);
            return pinnedReason(first.ruleId() + ": " + first.message());
        }
        return null;
    }

    private static final String UNPARSEABLE = "the diff cannot be parsed: ";

    private static String pinnedReason(String what) {
        return what + "; a change to the test harness or a loop spec is never merged unattended, whatever the level"
                + " or allowlist (at L2 it waits for a human's approval)";
    }

    /**
     * The spec's allowlist as core's policy: its allow and deny globs and caps, plus every built-in default deny
     * group (CI, secrets, migrations, ...), which a spec cannot switch off here.
     */
    static AllowlistPolicy policyFor(LoopSpec.Allowlist allowlist) {
        return AllowlistPolicy.builder()
                .allow(allowlist.allow() == null ? List.of() : allowlist.allow())
                .deny(allowlist.deny() == null ? List.of() : allowlist.deny())
                .maxFiles(allowlist.maxFiles() == null ? 0 : allowlist.maxFiles())
                .maxLines(allowlist.maxLines() == null ? 0 : allowlist.maxLines())
                .build();
    }

    /**
     * Whether an escalated verdict goes to a human for approval instead of ending {@code escalated}: only at L2, only
     * when the guard says the escalation is one a human may approve, and only when every high finding it carries is
     * of such a rule (checked here again, so one component's mistake does not open a request for, say, an injection).
     */
    static boolean humanMayApprove(ChangeVerified verified) {
        if (!verified.humanMayApprove()
                || verified.spec() == null
                || verified.spec().level() != LoopSpec.Level.L2) {
            return false;
        }
        if (verified.findings() == null) {
            return true;
        }
        return verified.findings().stream()
                .filter(f -> f.severity() == null || f.severity() == Finding.Severity.HIGH)
                .allMatch(f -> HumanApprovable.rule(f.ruleId()));
    }

    private static String escalationReason(ChangeVerified verified) {
        return verified.reasons() == null || verified.reasons().isEmpty()
                ? "the checker escalated without a reason"
                : String.join("; ", verified.reasons());
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
