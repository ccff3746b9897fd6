package dev.loopline.gate.repository;

/**
 * The change cannot be turned into a commit on the target (base commit unknown, diff does not apply,
 * nothing to commit, invalid ref name). Not transient: the gate escalates instead of retrying.
 */
public class UnmergeableChangeException extends RuntimeException {
    public UnmergeableChangeException(String message) {
        super(message);
    }
}
