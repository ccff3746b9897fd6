package dev.loopline.scheduler.webhook;

/**
 * What a verified delivery amounts to: an event that triggers can match, or the reason it cannot trigger
 * anything (an action or event kind Loopline does not react to).
 */
public sealed interface Normalized {

    record Matchable(WebhookEvent event) implements Normalized {}

    record Ignored(String reason) implements Normalized {}
}
