package dev.loopline.gate.rest;

import dev.loopline.gate.chat.SlackActionsResource;
import dev.loopline.gate.config.AuthConfig;
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
 * Who may call the gate's API ({@link ServiceAuth}): the service token, or an issued API token or OIDC login that
 * state-service vouches for, with its role; each resource method names the permission it needs. Exempt: /q/, and
 * exactly {@code POST} of Slack's actions endpoint, which Slack calls without our token and which authenticates each
 * request by its signature instead ({@link SlackActionsResource}).
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
        return ServiceAuth.authenticate(request, auth.get().token(), AuthFilters::isSignedSlackAction, callers);
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Response authorize(ContainerRequestContext request, ResourceInfo resource) {
        if (isSignedSlackAction(request.getMethod(), request.getUriInfo().getPath())) {
            return null;
        }
        return ServiceAuth.authorize(request, resource.getResourceMethod(), resource.getResourceClass());
    }

    /** Only POST to exactly this path; any other path or method still needs a token. */
    static boolean isSignedSlackAction(String method, String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return "POST".equals(method) && SlackActionsResource.PATH.equals(p);
    }
}
