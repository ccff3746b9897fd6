package dev.loopline.dashboard.rest;

import dev.loopline.core.auth.BearerToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Every dashboard API call needs the operator's bearer token; the static page itself is public. */
@Provider
public class BearerTokenFilter implements ContainerRequestFilter {

    // A @ConfigMapping cannot be injected into a JAX-RS filter when tests use test resources
    // (quarkusio/quarkus#53112), so the filter reads its one property directly.
    @ConfigProperty(name = "loopline.auth.token")
    Optional<String> token;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (!BearerToken.matches(header, token.orElse(""))) {
            request.abortWith(Problem.response(
                    Response.Status.UNAUTHORIZED,
                    "Send 'Authorization: Bearer <token>' with the token Loopline printed at start-up."));
        }
    }
}
