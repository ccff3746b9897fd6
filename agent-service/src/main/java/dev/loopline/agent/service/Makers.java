package dev.loopline.agent.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Optional;

/** The makers this agent can run, by {@code spec.maker.type}. */
@ApplicationScoped
public class Makers {

    @Inject
    Instance<Maker> makers;

    public Optional<Maker> forType(String type) {
        return makers.stream().filter(m -> m.type().equals(type)).findFirst();
    }
}
