package dev.loopline.agent.service;

/**
 * Proposes a change by editing files in a throwaway worktree. The agent computes the diff afterwards;
 * a maker never commits, pushes or touches anything outside {@link MakerRequest#worktree()}.
 */
public interface Maker {

    /** The {@code spec.maker.type} this maker implements. */
    String type();

    /**
     * The model name the budget ledger prices this maker's tokens at, or null for a maker with no model (shell).
     */
    default String model(MakerRequest request) {
        return null;
    }

    /**
     * True for a maker that reserves budget before every model call itself ({@link MakerRequest#budget()}) and settles
     * each from that call's usage; the agent then holds nothing for the run as a whole. False (the default): the agent
     * holds the run's maximum before the maker starts and settles what it reports at the end.
     */
    default boolean holdsPerCall() {
        return false;
    }

    /** @throws MakerException when the maker cannot do its work; the tick ends with an error */
    MakerResult make(MakerRequest request);
}
