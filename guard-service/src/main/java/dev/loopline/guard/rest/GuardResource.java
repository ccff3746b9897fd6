package dev.loopline.guard.rest;

import dev.loopline.guard.config.GuardConfig;
import dev.loopline.guard.service.GuardService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/api/v1/guard")
@Produces(MediaType.APPLICATION_JSON)
public class GuardResource {

    /** What this guard enforces: the cap on test time, and the scanners it runs on every proposal. */
    public record GuardInfo(long maxTestTimeoutSeconds, List<String> scanners) {}

    @Inject
    GuardConfig config;

    @Inject
    GuardService guard;

    @GET
    @Path("/info")
    public GuardInfo info() {
        return new GuardInfo(config.maxTestTimeout().toSeconds(), guard.scannerNames());
    }
}
