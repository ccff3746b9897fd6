package dev.loopline.state.rest;

import dev.loopline.core.auth.BearerToken;
import dev.loopline.state.config.AuthConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses every API request without the service bearer token. Pre-matching, so unknown paths are refused
 * too and do not reveal which resources exist. {@code /q/} endpoints (health, metrics, OpenAPI) are not
 * JAX-RS resources and stay open for probes and scrapers.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {

    /** Looked up per request: providers are created during static init, before runtime config exists. */
    @Inject
    Instance<AuthConfig> auth;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!BearerToken.matches(
                request.getHeaderString(HttpHeaders.AUTHORIZATION),
                auth.get().token().strip())) {
            Problem problem = Problem.of(
                    "unauthorized", "Unauthorized", 401, "A valid 'Authorization: Bearer <token>' is required");
            request.abortWith(Response.fromResponse(problem.toResponse())
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .build());
        }
    }
}
