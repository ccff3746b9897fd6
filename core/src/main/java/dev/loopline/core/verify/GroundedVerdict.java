package dev.loopline.core.verify;

/** Whether a claimed commit SHA names a commit object that exists. */
public enum GroundedVerdict {
    /** The hex names exactly one object, it is a commit, and its id starts with the claim. */
    GROUNDED,
    /** Well-formed or not, the claim does not name a commit (missing, a tag, a tree, a ref name). */
    FABRICATED,
    /** The short prefix matches several objects: not grounded, and kept apart from fabrication. */
    AMBIGUOUS,
    /** Git could not answer; decided from process state, never from stderr text. */
    UNVERIFIABLE
}
