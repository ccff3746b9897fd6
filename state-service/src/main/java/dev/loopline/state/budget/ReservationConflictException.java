package dev.loopline.state.budget;

/** The reservation exists but is in a state that forbids the operation (e.g. settling a released hold). */
public class ReservationConflictException extends RuntimeException {

    public ReservationConflictException(String message) {
        super(message);
    }
}
