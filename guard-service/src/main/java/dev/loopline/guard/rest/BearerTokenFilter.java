package dev.loopline.guard.rest;

import dev.loopline.support.rest.SharedToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Every endpoint outside {@code /q/} requires {@code Authorization: Bearer <loopline.auth.token>}. */
@Provider
@PreMatching
public class BearerTokenFilter implements ContainerRequestFilter {

    // A @ConfigMapping cannot be injected into a filter under test resources (ADR 0003, quarkusio/quarkus#53112).
    @ConfigProperty(name = "loopline.auth.token")
    Optional<String> token;

    @Override
    public void filter(ContainerRequestContext request) {
        SharedToken.require(request, token.orElse(null));
    }
}
