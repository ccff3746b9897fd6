package dev.loopline.guard.rest;

import dev.loopline.core.auth.BearerToken;
import dev.loopline.guard.config.AuthConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/** Every endpoint outside {@code /q/} requires {@code Authorization: Bearer <loopline.auth.token>}. */
@Provider
public class BearerTokenFilter implements ContainerRequestFilter {

    // Looked up per request: JAX-RS providers are built at static init, before runtime config mappings exist.
    @Inject
    Instance<AuthConfig> auth;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/q/") || path.equals("/q")) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (!BearerToken.matches(header, auth.get().token().orElse(null))) {
            request.abortWith(Problem.response(Response.Status.UNAUTHORIZED, "a valid bearer token is required"));
        }
    }
}
