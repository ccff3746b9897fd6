package dev.loopline.state.service;

import java.util.UUID;

public class ReservationNotFoundException extends RuntimeException {

    public ReservationNotFoundException(UUID id) {
        super("No reservation " + id);
    }
}
