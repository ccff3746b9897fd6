package dev.loopline.agent.service;

/** The control topic has not been read to its end in time: the switches are unknown, so nothing may run. */
public class ControlUnavailableException extends RuntimeException {
    public ControlUnavailableException(String message) {
        super(message);
    }
}
