package dev.loopline.scheduler.rest;

import dev.loopline.scheduler.config.AuthConfig;
import dev.loopline.scheduler.webhook.WebhookResource;
import dev.loopline.support.rest.SharedToken;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * Every API request must carry {@code Authorization: Bearer <loopline.auth.token>}. Exempt: /q/, and exactly
 * the two webhook endpoints, which GitHub and GitLab call without our token and which authenticate each
 * delivery by its signature instead ({@code WebhookResource}).
 */
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
        SharedToken.require(
                request, auth.get().token(), BearerTokenFilter::isSignedWebhook, SharedToken.DEFAULT_DETAIL);
    }

    /** Only POST to exactly these paths; any other path or method still needs the token. */
    static boolean isSignedWebhook(String method, String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return "POST".equals(method)
                && (WebhookResource.GITHUB_PATH.equals(p) || WebhookResource.GITLAB_PATH.equals(p));
    }
}
