package dev.loopline.agent.service;

/**
 * The attempt must stop and a human must look: a guard refused what the tick was about to do (a blocked maker
 * command). Unlike a {@link MakerException} this is not a failure to retry or report as an error; the tick ends
 * {@code escalated} with the message as its reason.
 */
public class EscalationException extends RuntimeException {
    public EscalationException(String message) {
        super(message);
    }
}
