package dev.loopline.scheduler.webhook;

import dev.loopline.schemas.spec.LoopSpec.EventTrigger;
import java.util.List;
import java.util.Objects;

/**
 * One delivery, normalized across GitHub and GitLab: what happened in which repository. The comment body is
 * untrusted text from anyone who can comment: it is only compared with a trigger's command, never passed on.
 *
 * @param repo {@code owner/name} (GitHub) or the project path {@code group/.../project} (GitLab)
 * @param branch the pushed branch (push only)
 * @param labels the labels added by this delivery (issue-labelled only; GitLab can add several at once)
 * @param commentBody the comment text (comment only)
 */
public record WebhookEvent(
        EventTrigger.Source source,
        EventTrigger.EventType kind,
        String repo,
        String branch,
        List<String> labels,
        String commentBody,
        String deliveryId) {

    public WebhookEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(repo, "repo");
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    static WebhookEvent push(EventTrigger.Source source, String repo, String branch, String deliveryId) {
        return new WebhookEvent(source, EventTrigger.EventType.PUSH, repo, branch, null, null, deliveryId);
    }

    static WebhookEvent labelled(EventTrigger.Source source, String repo, List<String> labels, String deliveryId) {
        return new WebhookEvent(source, EventTrigger.EventType.ISSUE_LABELLED, repo, null, labels, null, deliveryId);
    }

    static WebhookEvent comment(EventTrigger.Source source, String repo, String body, String deliveryId) {
        return new WebhookEvent(source, EventTrigger.EventType.COMMENT, repo, null, null, body, deliveryId);
    }

    /** Without the comment body: safe to log. */
    @Override
    public String toString() {
        return "WebhookEvent[" + source.wireName() + " " + kind.wireName() + " " + repo
                + (branch == null ? "" : " branch " + branch)
                + (labels.isEmpty() ? "" : " labels " + labels)
                + (commentBody == null ? "" : " comment of " + commentBody.length() + " chars")
                + ", delivery " + deliveryId + "]";
    }
}
