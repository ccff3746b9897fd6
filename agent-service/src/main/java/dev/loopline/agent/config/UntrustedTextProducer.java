package dev.loopline.agent.config;

import dev.loopline.core.guard.injection.UntrustedText;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

public class UntrustedTextProducer {

    /** The injection check on tasks, reflections and notes before a maker reads them (shared with the CLI). */
    @Produces
    @Singleton
    UntrustedText untrustedText() {
        return new UntrustedText();
    }
}
