package dev.loopline.agent.service;

/** A maker could not do its work; the message says why and ends up in the tick's outcome. */
public class MakerException extends RuntimeException {
    public MakerException(String message) {
        super(message);
    }

    public MakerException(String message, Throwable cause) {
        super(message, cause);
    }
}
