package dev.loopline.scheduler.webhook;

/** A correctly signed body that is not JSON, or lacks a field its event needs; answered with 400. */
public class MalformedPayloadException extends RuntimeException {

    public MalformedPayloadException(String message) {
        super(message);
    }
}
