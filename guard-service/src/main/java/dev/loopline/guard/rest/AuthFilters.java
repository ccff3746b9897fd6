package dev.loopline.guard.rest;

import dev.loopline.support.auth.LazyStateCallers;
import dev.loopline.support.auth.ServiceAuth;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Who may call the guard's API ({@link ServiceAuth}): the service token, or an issued API token or OIDC login that
 * state-service vouches for, with its role; each resource method names the permission it needs. /q/ is exempt.
 */
public class AuthFilters {

    // A @ConfigMapping cannot be injected into a filter under test resources (ADR 0003, quarkusio/quarkus#53112).
    @ConfigProperty(name = "loopline.auth.token")
    Optional<String> token;

    @ConfigProperty(name = "loopline.auth.state-url")
    Optional<URI> stateUrl;

    @ConfigProperty(name = "loopline.auth.cache-ttl", defaultValue = "30s")
    Duration cacheTtl;

    @ConfigProperty(name = "loopline.auth.state-timeout", defaultValue = "2s")
    Duration stateTimeout;

    private final LazyStateCallers callers =
            new LazyStateCallers(() -> new LazyStateCallers.Settings(stateUrl, stateTimeout, cacheTtl));

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        return ServiceAuth.authenticate(request, token.orElse(null), (method, path) -> false, callers);
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Response authorize(ContainerRequestContext request, ResourceInfo resource) {
        return ServiceAuth.authorize(request, resource.getResourceMethod(), resource.getResourceClass());
    }
}
