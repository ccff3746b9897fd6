package dev.loopline.scheduler.rest;

import dev.loopline.scheduler.config.AuthConfig;
import dev.loopline.scheduler.webhook.WebhookResource;
import dev.loopline.support.auth.LazyStateCallers;
import dev.loopline.support.auth.ServiceAuth;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Who may call the scheduler's API ({@link ServiceAuth}): the service token, or an issued API token or OIDC login that
 * state-service vouches for, with its role; each resource method names the permission it needs. Exempt: /q/, and
 * exactly the two webhook endpoints, which GitHub and GitLab call without our token and which authenticate each
 * delivery by its signature instead ({@code WebhookResource}).
 */
public class AuthFilters {

    // resolved per request: providers are created at static init, before runtime config exists
    @Inject
    Instance<AuthConfig> auth;

    private final LazyStateCallers callers = new LazyStateCallers(() -> {
        AuthConfig config = auth.get();
        return new LazyStateCallers.Settings(config.stateUrl(), config.stateTimeout(), config.cacheTtl());
    });

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        return ServiceAuth.authenticate(request, auth.get().token(), AuthFilters::isSignedWebhook, callers);
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Response authorize(ContainerRequestContext request, ResourceInfo resource) {
        if (isSignedWebhook(request.getMethod(), request.getUriInfo().getPath())) {
            return null;
        }
        return ServiceAuth.authorize(request, resource.getResourceMethod(), resource.getResourceClass());
    }

    /** Only POST to exactly these paths; any other path or method still needs a token. */
    static boolean isSignedWebhook(String method, String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return "POST".equals(method)
                && (WebhookResource.GITHUB_PATH.equals(p) || WebhookResource.GITLAB_PATH.equals(p));
    }
}
