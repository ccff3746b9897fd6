package dev.loopline.support.auth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link StateCallers} of a service, built on first use from its configuration (filters are created before the
 * runtime configuration exists, so they cannot build it earlier); empty while no state-service URL is configured.
 */
public final class LazyStateCallers implements Supplier<Optional<StateCallers>> {

    /** The settings as the service's configuration holds them. */
    public record Settings(Optional<URI> stateUrl, Duration timeout, Duration ttl) {}

    private final Supplier<Settings> settings;
    private volatile Optional<StateCallers> callers;

    public LazyStateCallers(Supplier<Settings> settings) {
        this.settings = settings;
    }

    @Override
    public Optional<StateCallers> get() {
        Optional<StateCallers> current = callers;
        if (current == null) {
            Settings s = settings.get();
            current = s.stateUrl().map(url -> new StateCallers(url, s.timeout(), s.ttl(), Clock.systemUTC()));
            callers = current;
        }
        return current;
    }
}
