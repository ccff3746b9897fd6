package dev.loopline.gate.chat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Slack ({@code loopline.slack.*}; env {@code LOOPLINE_SLACK_SIGNING_SECRET}, {@code LOOPLINE_SLACK_BOT_TOKEN},
 * {@code LOOPLINE_SLACK_WEBHOOK_URL}, {@code LOOPLINE_SLACK_CHANNEL}). Secrets come from the environment or a
 * Kubernetes Secret and are never logged.
 */
@ConfigMapping(prefix = "loopline.slack")
public interface SlackConfig {

    /** The app's signing secret; without it the actions endpoint refuses every request. */
    Optional<String> signingSecret();

    /** A bot token ({@code xoxb-...}, scope {@code chat:write}): posts with chat.postMessage and updates. */
    Optional<String> botToken();

    /** An incoming webhook: posts only (a webhook's message cannot be updated; the decision is a new message). */
    Optional<URI> webhookUrl();

    /** Slack's Web API; tests point it at a stand-in. */
    @WithDefault("https://slack.com/api")
    URI apiUrl();

    /** The channel (id or name) a request is posted to unless its team or loop has one of its own. */
    Optional<String> channel();

    /** Channel per team id ({@code loopline.slack.team-channels.platform=C0123}). */
    Map<String, String> teamChannels();

    /** Channel per loop id; wins over the team's. */
    Map<String, String> loopChannels();

    /**
     * Where Slack's {@code response_url}s must point: a signed request's {@code response_url} outside it is not
     * called. Tests point it at a stand-in.
     */
    @WithDefault("https://hooks.slack.com/")
    String responseUrlPrefix();

    /** How far a request's timestamp may be from now, and how long its signature is remembered against replays. */
    @WithDefault("5m")
    Duration replayWindow();

    /** Largest request body accepted (Slack's payloads are a few KB). */
    @WithDefault("65536")
    int maxBodyBytes();

    /** Connect and answer timeout of every call to Slack and of the mapping lookup. */
    @WithDefault("5s")
    Duration timeout();

    /** The channel for a request of this team and loop, if any. */
    default Optional<String> channelFor(String team, String loopId) {
        if (loopId != null && loopChannels().containsKey(loopId)) {
            return Optional.of(loopChannels().get(loopId));
        }
        if (team != null && teamChannels().containsKey(team)) {
            return Optional.of(teamChannels().get(team));
        }
        return channel();
    }
}
