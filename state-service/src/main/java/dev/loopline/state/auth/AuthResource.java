package dev.loopline.state.auth;

import dev.loopline.core.auth.Caller;
import dev.loopline.core.auth.Permission;
import dev.loopline.support.rest.Allowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Who the API takes the caller for: answers which role an API token or an OIDC token's groups grant. */
@Path("/api/v1/auth/me")
@Allowed(Permission.READ)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    /** The caller as authenticated: never a token. {@code team} only for an approver bound to one team. */
    public record MeView(String name, String role, String team) {}

    @Inject
    CurrentCaller caller;

    @GET
    @Operation(summary = "The authenticated caller: name (token name, bootstrap or oidc:<user>), role, team")
    public MeView me() {
        Caller c = caller.get();
        return new MeView(c.name(), c.role().wireName(), c.team());
    }
}
