package dev.loopline.gate.rest;

import dev.loopline.gate.config.AuthConfig;
import dev.loopline.support.rest.SharedToken;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/** Every API request must carry {@code Authorization: Bearer <loopline.auth.token>}; /q/ is exempt. */
@Provider
@PreMatching
public class BearerTokenFilter implements ContainerRequestFilter {

    // resolved per request: JAX-RS providers are created at static init, before runtime config exists
    private final Instance<AuthConfig> auth;

    public BearerTokenFilter(Instance<AuthConfig> auth) {
        this.auth = auth;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        SharedToken.require(request, auth.get().token());
    }
}
