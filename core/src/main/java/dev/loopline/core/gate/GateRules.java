package dev.loopline.core.gate;

import dev.loopline.core.control.Admission;
import dev.loopline.core.diff.DiffParseException;
import dev.loopline.core.diff.DiffParser;
import dev.loopline.core.guard.HumanApprovable;
import dev.loopline.core.guard.harness.HarnessCheck;
import dev.loopline.core.guard.harness.HarnessFinding;
import dev.loopline.core.guard.harness.Tree;
import dev.loopline.core.io.GitMirror;
import dev.loopline.core.policy.AllowlistDecision;
import dev.loopline.core.policy.AllowlistPolicy;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.spec.LoopSpec;
import java.util.List;

/**
 * The gate's decision rules, free of git: which way a verified change goes under its loop's level, allowlist, the
 * pinned harness and what the control topic says. gate-service carries a route out on the target repository (commit,
 * push a branch, fast-forward); the CLI's one-process run prints it, or carries it out on a local repository.
 */
public final class GateRules {

    private GateRules() {}

    /** How the gate names the branch it pushes for a tick. */
    public static String branchFor(String loopId, String tickId) {
        return GitMirror.REVIEW_BRANCH_PREFIX + loopId + "/" + tickId;
    }

    /** Where a verdict goes. */
    public sealed interface Route permits Retry, Halt, Report, Escalate, AwaitApproval, FastForward {
        String reason();
    }

    /** A rejected change (or a checker error): nothing to decide; the agent retries or ends the tick. */
    public record Retry(String reason) implements Route {}

    /** A halt (kill switch, budget halt): nothing is pushed. */
    public record Halt(String reason, TickCompleted.Halt code) implements Route {}

    /** Reported only (L0/L1, report-only): nothing is pushed. */
    public record Report(String reason) implements Route {}

    /** A human must look at it; nothing is pushed. */
    public record Escalate(String reason) implements Route {}

    /** Commit the change and push it as a branch awaiting a human's approval. */
    public record AwaitApproval(String reason) implements Route {}

    /** Commit the change and fast-forward the base ref, while the base has not moved. */
    public record FastForward(String reason) implements Route {}

    private static final String UNPARSEABLE = "the diff cannot be parsed: ";

    /**
     * @param branch the branch the change would be pushed as, for the reason of an L2 proposal
     */
    public static Route route(ChangeVerified verified, Admission admission, String branch) {
        return switch (verified.verdict()) {
            case REJECT, ERROR -> new Retry(escalationReason(verified));
            case ESCALATE -> humanMayApprove(verified)
                    ? accept(verified, admission, branch)
                    : new Escalate(escalationReason(verified));
            case ACCEPT -> accept(verified, admission, branch);
        };
    }

    private static Route accept(ChangeVerified verified, Admission admission, String branch) {
        String actualSha = GitMirror.sha256Hex(verified.diff());
        if (!actualSha.equals(verified.diffSha256())) {
            return new Escalate("diff does not match diffSha256: the verified hash is " + verified.diffSha256()
                    + " but the diff hashes to " + actualSha);
        }
        if (admission instanceof Admission.Halt halt) {
            return new Halt(halt.reason() + "; nothing pushed", halt.code());
        }
        LoopSpec spec = verified.spec();
        if (admission instanceof Admission.ReportOnly limited
                && spec.level() != LoopSpec.Level.L0
                && spec.level() != LoopSpec.Level.L1) {
            return new Report("report-only (" + limited.reason() + "): reported as at L1; nothing pushed");
        }
        if (spec.level() == LoopSpec.Level.L0 || spec.level() == LoopSpec.Level.L1) {
            String what = spec.level() == LoopSpec.Level.L0 ? "L0 is plan-only" : "L1 is report-only";
            return new Report(what + "; nothing pushed");
        }
        String pinned = pinnedChange(verified);
        if (pinned != null && (spec.level() != LoopSpec.Level.L2 || pinned.startsWith(UNPARSEABLE))) {
            return new Escalate(pinned);
        }
        String baseRef = spec.target().baseRefOrDefault();
        if (!baseRef.equals(verified.baseRef())) {
            return new Escalate(
                    "the change was verified against " + verified.baseRef() + " but the loop targets " + baseRef);
        }
        if (spec.level() == LoopSpec.Level.L2) {
            return new AwaitApproval(
                    verified.humanMayApprove()
                            ? "the checker escalated (" + escalationReason(verified)
                                    + "); never merged unattended, so L2 proposes branch " + branch
                                    + " for a human's approval"
                            : pinned != null ? pinned : "L2 proposes branch " + branch + " for review");
        }
        if (spec.allowlist() == null) {
            return new AwaitApproval("L3 without an allowlist falls back to propose");
        }
        AllowlistDecision allowlist;
        try {
            allowlist = policyFor(spec.allowlist()).evaluate(DiffParser.parse(verified.diff()));
        } catch (DiffParseException e) {
            // what cannot be parsed cannot be shown to stay inside the allowlist
            return new Escalate(UNPARSEABLE + e.getMessage());
        }
        if (!allowlist.allowed()) {
            return new AwaitApproval("L3 change outside the allowlist: " + String.join("; ", allowlist.reasons()));
        }
        return new FastForward("L3 change inside the allowlist: fast-forwarded " + baseRef);
    }

    /**
     * Why the change must not leave the gate unattended because it touches the pinned test harness or a loop
     * spec, or null. The guard escalates such changes itself; the gate checks again (the findings it was handed,
     * and every pin it can tell by name without the base tree), so no single component's mistake merges one.
     */
    public static String pinnedChange(ChangeVerified verified) {
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

    private static String pinnedReason(String what) {
        return what + "; a change to the test harness or a loop spec is never merged unattended, whatever the level"
                + " or allowlist (at L2 it waits for a human's approval)";
    }

    /**
     * The spec's allowlist as core's policy: its allow and deny globs and caps, plus every built-in default deny
     * group (CI, secrets, migrations, ...), which a spec cannot switch off here.
     */
    public static AllowlistPolicy policyFor(LoopSpec.Allowlist allowlist) {
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
    public static boolean humanMayApprove(ChangeVerified verified) {
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
}
