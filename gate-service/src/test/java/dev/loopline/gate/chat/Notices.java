package dev.loopline.gate.chat;

import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.approval.ApprovalNotice.Channel;
import dev.loopline.gate.approval.ApprovalNotice.State;
import dev.loopline.gate.approval.ApprovalNotice.Vote;
import dev.loopline.schemas.events.Finding;
import java.time.Instant;
import java.util.List;

/** Approval notices as the approvals side would hand them to listeners. */
public final class Notices {

    private Notices() {}

    public static ApprovalNotice open(String id, String repo) {
        return new ApprovalNotice(
                id,
                "platform",
                "docs-loop",
                "tick-" + id,
                1,
                repo,
                "loopline/docs-loop/tick-" + id,
                "main",
                "1111111111111111111111111111111111111111",
                "2222222222222222222222222222222222222222",
                "3333333333333333333333333333333333333333333333333333333333333333",
                "Fix the <b>typo</b> in the guide & more",
                List.of(new Finding("diff.large", Finding.Severity.MEDIUM, "large change", "docs/guide.md", 3, null)),
                "carol",
                State.OPEN,
                1,
                List.of(),
                Instant.parse("2026-12-06T20:00:00Z"),
                Instant.parse("2026-12-09T20:00:00Z"),
                null,
                "https://loopline.example/ticks/tick-" + id);
    }

    public static ApprovalNotice decided(ApprovalNotice open, State state, boolean approve, String comment) {
        return new ApprovalNotice(
                open.id(),
                open.team(),
                open.loopId(),
                open.tickId(),
                open.attempt(),
                open.repo(),
                open.branch(),
                open.baseRef(),
                open.baseSha(),
                open.commit(),
                open.diffSha256(),
                open.summary(),
                open.findings(),
                open.triggeredBy(),
                state,
                open.quorum(),
                List.of(new Vote("alice", Channel.SLACK, approve, comment, Instant.parse("2026-12-06T21:00:00Z"))),
                open.openedAt(),
                open.expiresAt(),
                state == State.MERGED ? "merged into main as 2222222" : null,
                open.dashboardUrl());
    }
}
