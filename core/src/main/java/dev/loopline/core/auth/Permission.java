package dev.loopline.core.auth;

/** The kinds of API calls roles are granted. */
public enum Permission {
    /** Every GET: ticks, loops, budget, control state, dead letters, stream, exports. */
    READ,
    /** Trigger, kill, resume, budget reservations: what services and on-call humans do. */
    OPERATE,
    /** Approving a change of a team (approvers may be limited to one team). */
    APPROVE,
    /** Caps and tokens. */
    ADMIN
}
