package dev.loopline.guard.config;

import dev.loopline.core.check.InjectionChangeScanner;
import dev.loopline.core.check.IntegrityChangeScanner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The checker's scanners, which live in core so that the CLI's one-process run uses the very same ones; each is a
 * {@code ChangeScanner} bean that {@code GuardService} runs on every proposal.
 */
@ApplicationScoped
public class ScannerProducer {

    @Produces
    @ApplicationScoped
    IntegrityChangeScanner integrity() {
        return new IntegrityChangeScanner();
    }

    @Produces
    @ApplicationScoped
    InjectionChangeScanner injection() {
        return new InjectionChangeScanner();
    }
}
