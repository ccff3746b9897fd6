package dev.loopline.state.runlog;

import dev.loopline.schemas.events.Event;

/**
 * A decoded tick event waiting to be recorded: the event, its {@code data} exactly as received (kept verbatim in the
 * run log) and the Kafka record it came from.
 */
public record IncomingEvent(Event event, String dataJson, MessageOrigin origin) {}
