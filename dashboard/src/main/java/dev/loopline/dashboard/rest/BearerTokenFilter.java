package dev.loopline.dashboard.rest;

import dev.loopline.support.rest.SharedToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Every dashboard API call needs the operator's bearer token; the static page itself is public. */
@Provider
@PreMatching
public class BearerTokenFilter implements ContainerRequestFilter {

    private static final String DETAIL =
            "Send 'Authorization: Bearer <token>' with the token Loopline printed at start-up.";

    // A @ConfigMapping cannot be injected into a JAX-RS filter when tests use test resources
    // (quarkusio/quarkus#53112), so the filter reads its one property directly.
    @ConfigProperty(name = "loopline.auth.token")
    Optional<String> token;

    @Override
    public void filter(ContainerRequestContext request) {
        SharedToken.require(request, token.orElse(null), (method, path) -> !path.startsWith("/api/"), DETAIL);
    }
}
