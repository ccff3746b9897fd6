package dev.loopline.scheduler.service;

import dev.loopline.schemas.events.Event;

/** Publishes a TickTriggered event and returns once the broker has it (or throws). */
@FunctionalInterface
public interface TickPublisher {
    void publish(Event tickTriggered);
}
