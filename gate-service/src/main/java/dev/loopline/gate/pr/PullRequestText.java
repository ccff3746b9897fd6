package dev.loopline.gate.pr;

import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.schemas.events.Finding;
import java.util.Locale;

/** Titles, descriptions and decision comments of the gate's pull and merge requests (Markdown). */
final class PullRequestText {

    private static final int MAX_FINDINGS = 20;

    private PullRequestText() {}

    static String title(ApprovalNotice n) {
        String summary = n.summary() == null || n.summary().isBlank()
                ? "tick " + n.tickId()
                : n.summary().strip().lines().findFirst().orElse("");
        String title = "loopline(" + n.loopId() + "): " + summary;
        return title.length() <= 120 ? title : title.substring(0, 119) + "…";
    }

    static String description(ApprovalNotice n) {
        StringBuilder text = new StringBuilder();
        text.append("Proposed by Loopline loop `")
                .append(n.loopId())
                .append("` (team `")
                .append(n.team())
                .append("`), tick ");
        if (n.dashboardUrl() != null) {
            text.append('[')
                    .append(n.tickId())
                    .append("](")
                    .append(n.dashboardUrl())
                    .append(')');
        } else {
            text.append('`').append(n.tickId()).append('`');
        }
        text.append(", attempt ")
                .append(n.attempt())
                .append(", triggered by ")
                .append(n.triggeredBy())
                .append(".\n\n");
        if (n.summary() != null && !n.summary().isBlank()) {
            n.summary().strip().lines().forEach(line -> text.append("> ")
                    .append(line)
                    .append('\n'));
            text.append('\n');
        }
        text.append("Verified against base `")
                .append(n.baseSha())
                .append("`; diff SHA-256 `")
                .append(n.diffSha256())
                .append("`.\n\n");
        text.append("### Findings\n");
        if (n.findings().isEmpty()) {
            text.append("None.\n");
        }
        for (Finding f : n.findings().stream().limit(MAX_FINDINGS).toList()) {
            text.append("- ");
            if (f.severity() != null) {
                text.append("**")
                        .append(f.severity().name().toLowerCase(Locale.ROOT))
                        .append("** ");
            }
            text.append('`').append(f.ruleId()).append("`: ").append(f.message());
            if (f.file() != null) {
                text.append(" (`")
                        .append(f.file())
                        .append(f.line() == null ? "" : ":" + f.line())
                        .append("`)");
            }
            text.append('\n');
        }
        if (n.findings().size() > MAX_FINDINGS) {
            text.append("- … and ").append(n.findings().size() - MAX_FINDINGS).append(" more\n");
        }
        text.append("\n### How to approve\n")
                .append("This change needs ")
                .append(n.quorum())
                .append(" approval(s) in Loopline by ")
                .append(n.expiresAt())
                .append(". Loopline merges it itself (fast-forward, re-verified if the base"
                        + " moved); do not merge this pull request by hand.\n\n")
                .append("- CLI: `loopline approve ")
                .append(n.id())
                .append(" -m \"looks good\"` or `loopline reject ")
                .append(n.id())
                .append(" -m \"why\"`\n")
                .append("- Slack: `/loopline approve ")
                .append(n.id())
                .append("`\n")
                .append("- REST: `POST /api/v1/approvals/")
                .append(n.id())
                .append("/approve`\n");
        return text.toString();
    }

    static String decision(ApprovalNotice n) {
        StringBuilder text = new StringBuilder(
                switch (n.state()) {
                    case MERGED -> "Approved in Loopline and merged into `" + n.baseRef() + "`";
                    case REJECTED -> "Rejected in Loopline; closing";
                    case EXPIRED -> "Nobody decided before " + n.expiresAt()
                            + "; the request expired and was escalated." + " Closing";
                    case VOIDED -> "The approval request was voided (the change it was bound to is gone); closing";
                    case OPEN -> "Still open";
                });
        if (n.reason() != null && !n.reason().isBlank()) {
            text.append(": ").append(n.reason());
        }
        text.append('.');
        for (ApprovalNotice.Vote v : n.votes()) {
            text.append("\n- ")
                    .append(v.approve() ? "approved" : "rejected")
                    .append(" by ")
                    .append(v.by())
                    .append(" via ")
                    .append(v.channel().name().toLowerCase(Locale.ROOT))
                    .append(" at ")
                    .append(v.at());
            if (v.comment() != null && !v.comment().isBlank()) {
                text.append(": ").append(v.comment());
            }
        }
        return text.toString();
    }
}
