package dev.loopline.gate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.core.auth.Caller;
import dev.loopline.core.auth.Role;
import dev.loopline.gate.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Which Loopline user a Slack user acts as: state-service's admin-managed mapping ({@code GET
 * /api/v1/admin/slack-users/{slackTeamId}/{slackUserId}}), asked with the gate's service token on every vote — not
 * cached, so a removed mapping stops working at once.
 */
@ApplicationScoped
public class SlackUsers {

    /** state-service could not be asked; nobody can be mapped now. */
    public static final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message);
        }
    }

    private final AuthConfig auth;
    private final JsonHttp http;

    public SlackUsers(AuthConfig auth, SlackConfig slack) {
        this.auth = auth;
        this.http = new JsonHttp(slack.timeout());
    }

    /** The Loopline caller of that Slack user, or empty when no admin mapped them. */
    public Optional<Caller> lookUp(String slackTeamId, String slackUserId) throws Unavailable {
        URI state = auth.stateUrl()
                .orElseThrow(() -> new Unavailable("no state-service is configured (loopline.auth.state-url) to map"
                        + " Slack users to Loopline users"));
        URI uri = state.resolve("/api/v1/admin/slack-users/" + encode(slackTeamId) + "/" + encode(slackUserId));
        JsonHttp.Reply reply;
        try {
            reply = http.send("GET", uri, Map.of("Authorization", "Bearer " + auth.token()), null);
        } catch (IOException e) {
            throw new Unavailable("state-service cannot be reached: " + e.getMessage());
        }
        if (reply.status() == 404) {
            return Optional.empty();
        }
        if (!reply.ok()) {
            throw new Unavailable("state-service answered " + reply.status() + " to the Slack user lookup");
        }
        JsonNode json = reply.json();
        String name = json.path("user").asText("");
        Optional<Role> role = Role.fromWireName(json.path("role").asText(""));
        if (name.isBlank() || role.isEmpty()) {
            throw new Unavailable("state-service's Slack user mapping names no user or no known role");
        }
        String team = json.hasNonNull("team") ? json.get("team").asText() : null;
        return Optional.of(new Caller(name, role.get(), team, false));
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}
