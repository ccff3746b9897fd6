package dev.loopline.guard.rest;

import dev.loopline.core.auth.BearerToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Every endpoint outside {@code /q/} requires {@code Authorization: Bearer <loopline.auth.token>}. */
@Provider
public class BearerTokenFilter implements ContainerRequestFilter {

    // A @ConfigMapping cannot be injected into a filter under test resources (ADR 0003, quarkusio/quarkus#53112).
    @ConfigProperty(name = "loopline.auth.token")
    Optional<String> token;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/q/") || path.equals("/q")) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (!BearerToken.matches(header, token.orElse(null))) {
            request.abortWith(Problem.response(Response.Status.UNAUTHORIZED, "a valid bearer token is required"));
        }
    }
}
