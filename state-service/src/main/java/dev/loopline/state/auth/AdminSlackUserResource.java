package dev.loopline.state.auth;

import dev.loopline.core.auth.Permission;
import dev.loopline.state.auth.SlackUserRepository.SlackUserRow;
import dev.loopline.state.common.ApiException;
import dev.loopline.support.rest.Allowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Which Loopline user a Slack user acts as when approving from Slack (buttons or {@code /loopline approve}). Only an
 * admin manages the mappings; gate-service looks a Slack user up with its service token before any vote counts, and
 * a Slack user without a mapping cannot approve. Deleting a mapping takes Slack approval away at once.
 */
@Path("/api/v1/admin/slack-users")
@Allowed(Permission.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminSlackUserResource {

    private static final String SLACK_ID = "^[A-Z0-9]{1,32}$";
    private static final String SLACK_ID_MESSAGE = "must be a Slack id: 1-32 of A-Z 0-9 (e.g. T0123ABCD, U0456EFGH)";

    /** Who the Slack user acts as: a Loopline user name and the approver role (of one team, or every team). */
    public record MappingRequest(
            @NotNull
                    @Pattern(
                            regexp = "^[A-Za-z0-9][A-Za-z0-9._@:-]{0,99}$",
                            message = "must be 1-100 of A-Z a-z 0-9 . _ @ : - (the name the user has in Loopline)")
                    String user,
            @NotNull @Pattern(regexp = "approver|admin", message = "must be approver or admin") String role,
            @Pattern(regexp = "^[a-z][a-z0-9-]{0,62}$", message = "must be a team id") String team) {}

    /** A mapping: the Slack identity and the Loopline caller it acts as. */
    public record MappingView(
            String slackTeamId,
            String slackUserId,
            String user,
            String role,
            String team,
            String createdBy,
            Instant createdAt) {
        static MappingView of(SlackUserRow r) {
            return new MappingView(
                    r.slackTeamId(), r.slackUserId(), r.user(), r.role(), r.team(), r.createdBy(), r.createdAt());
        }
    }

    @Inject
    SlackUserRepository mappings;

    @Inject
    CurrentCaller caller;

    @Inject
    Clock clock;

    @PUT
    @Path("/{slackTeamId}/{slackUserId}")
    @Operation(summary = "Map a Slack user (workspace id, user id) to the Loopline approver it acts as")
    public MappingView put(
            @PathParam("slackTeamId") String slackTeamId,
            @PathParam("slackUserId") String slackUserId,
            @Valid @NotNull MappingRequest request) {
        checkIds(slackTeamId, slackUserId);
        if (request.team() != null && !"approver".equals(request.role())) {
            throw ApiException.invalidParameter(
                    "team", "applies to the approver role only (an admin approves for" + " every team)");
        }
        if (AuthFilters.BOOTSTRAP_NAME.equals(request.user())) {
            throw ApiException.invalidParameter("user", "is reserved for the bootstrap token");
        }
        return MappingView.of(mappings.put(new SlackUserRow(
                slackTeamId,
                slackUserId,
                request.user(),
                request.role(),
                request.team(),
                caller.get().name(),
                clock.instant())));
    }

    @GET
    @Operation(summary = "Every Slack user mapping")
    public List<MappingView> list() {
        return mappings.all().stream().map(MappingView::of).toList();
    }

    @GET
    @Path("/{slackTeamId}/{slackUserId}")
    @Operation(summary = "The Loopline user a Slack user acts as; 404 when unmapped")
    public MappingView get(@PathParam("slackTeamId") String slackTeamId, @PathParam("slackUserId") String slackUserId) {
        checkIds(slackTeamId, slackUserId);
        return mappings.find(slackTeamId, slackUserId)
                .map(MappingView::of)
                .orElseThrow(() -> notMapped(slackTeamId, slackUserId));
    }

    @DELETE
    @Path("/{slackTeamId}/{slackUserId}")
    @Operation(summary = "Remove a Slack user's mapping: that user can no longer approve from Slack")
    public void delete(@PathParam("slackTeamId") String slackTeamId, @PathParam("slackUserId") String slackUserId) {
        checkIds(slackTeamId, slackUserId);
        if (!mappings.delete(slackTeamId, slackUserId)) {
            throw notMapped(slackTeamId, slackUserId);
        }
    }

    private static ApiException notMapped(String slackTeamId, String slackUserId) {
        return ApiException.notFound("Slack user " + slackUserId + " of workspace " + slackTeamId + " is not mapped");
    }

    private static void checkIds(String slackTeamId, String slackUserId) {
        if (!slackTeamId.matches(SLACK_ID)) {
            throw ApiException.invalidParameter("slackTeamId", SLACK_ID_MESSAGE);
        }
        if (!slackUserId.matches(SLACK_ID)) {
            throw ApiException.invalidParameter("slackUserId", SLACK_ID_MESSAGE);
        }
    }
}
