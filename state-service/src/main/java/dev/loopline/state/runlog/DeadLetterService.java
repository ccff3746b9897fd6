package dev.loopline.state.runlog;

import dev.loopline.schemas.events.DeadLetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Keeps the dead letters this service produced, so the dashboard can show them without reading Kafka. */
@ApplicationScoped
public class DeadLetterService {

    @Inject
    DeadLetterRepository deadLetters;

    /** Own transaction: the failed event's transaction, if any, has been rolled back by now. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(DeadLetter deadLetter) {
        deadLetters.insertIfAbsent(deadLetter);
    }
}
