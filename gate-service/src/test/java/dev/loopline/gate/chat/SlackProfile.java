package dev.loopline.gate.chat;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Slack, outbound webhooks and GitHub pull requests switched on against one {@link StandIn} that plays Slack's Web
 * API, Slack's response URLs, state-service's Slack user lookup, a webhook receiver and GitHub's API; the approvals
 * side is {@link RecordingDecisions}.
 */
public class SlackProfile implements QuarkusTestProfile {

    public static final String SIGNING_SECRET = "test-signing-secret";
    public static final String WEBHOOK_SECRET = "test-webhook-secret";

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(RecordingDecisions.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resource.class));
    }

    /** Starts the stand-in before the application and points every outbound setting at it. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {

        public static volatile StandIn standIn;

        @Override
        public Map<String, String> start() {
            try {
                standIn = new StandIn();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String url = standIn.url();
            return Map.ofEntries(
                    Map.entry("loopline.slack.signing-secret", SIGNING_SECRET),
                    Map.entry("loopline.slack.bot-token", "xoxb-test-bot-token"),
                    Map.entry("loopline.slack.api-url", url + "/slack/api"),
                    Map.entry("loopline.slack.channel", "C0DEFAULT"),
                    Map.entry("loopline.slack.team-channels.platform", "C0PLATFORM"),
                    Map.entry("loopline.slack.response-url-prefix", url + "/hooks/"),
                    Map.entry("loopline.auth.state-url", url),
                    Map.entry("loopline.outbound-webhooks.urls", url + "/receiver/a"),
                    Map.entry("loopline.outbound-webhooks.secret", WEBHOOK_SECRET),
                    Map.entry("loopline.outbound-webhooks.backoff", "100ms"),
                    Map.entry("loopline.pr.provider", "github"),
                    Map.entry("loopline.pr.token", "ghp-test-token"),
                    Map.entry("loopline.pr.api-url", url + "/github"));
        }

        @Override
        public void stop() {
            if (standIn != null) {
                standIn.close();
            }
        }
    }
}
