package dev.loopline.state.budget;

import java.util.UUID;

public class ReservationNotFoundException extends RuntimeException {

    public ReservationNotFoundException(UUID id) {
        super("No reservation " + id);
    }
}
