package dev.loopline.state.runlog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One tick as derived from its events; see {@code TickProjection} for how each column is merged. */
@Entity
@Table(name = "tick")
public class TickEntity {

    @Id
    @Column(name = "tick_id")
    public String tickId;

    @Column(name = "loop_id", nullable = false)
    public String loopId;

    @Column(nullable = false)
    public String team;

    /** {@code triggered}, {@code running} or {@code completed}. */
    @Column(nullable = false)
    public String status;

    /** Wire name of the {@code TickCompleted} outcome, null until the tick completed. */
    public String outcome;

    /** Wire name of the gate's decision, null until decided. */
    public String decision;

    public String reason;

    public String level;

    public String kind;

    @Column(name = "trigger_kind")
    public String triggerKind;

    @Column(name = "triggered_by")
    public String triggeredBy;

    @Column(nullable = false)
    public int attempts;

    @Column(nullable = false)
    public long tokens;

    public String branch;

    @Column(name = "commit_sha")
    public String commitSha;

    /** The earliest event time seen for the tick: the trigger time once the trigger arrived. Sort key. */
    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "triggered_at")
    public Instant triggeredAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** The gate's approval request of the tick, if it ended awaiting approval. */
    @Column(name = "approval_id")
    public String approvalId;

    /** How the approval request ended: merged, rejected, expired or voided; null while open. */
    public String resolution;

    @Column(name = "resolution_attempt")
    public Integer resolutionAttempt;

    /** Why the request ended so (who merged or rejected it, why it expired or was voided); null while open. */
    @Column(name = "resolution_reason")
    public String resolutionReason;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
