package dev.loopline.core.verify;

/** Agreement of the literal check with an independent re-derivation of the commit id. */
public enum IsoVerdict {
    /** Both derivations find the same commit. */
    CONSISTENT,
    /** Both agree the claim names no commit. */
    CONSISTENT_ABSENT,
    /** The derivations disagree: investigate before trusting either. */
    GAP,
    UNVERIFIABLE
}
