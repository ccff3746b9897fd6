package dev.loopline.makers.llm;

/**
 * A model call that cannot succeed: the provider refused it (a 4xx other than 408 and 429), or it kept failing until
 * the retries or the run's time ran out. The message says what the provider answered last.
 */
final class ModelCallFailed extends RuntimeException {

    ModelCallFailed(String message) {
        super(message);
    }
}
