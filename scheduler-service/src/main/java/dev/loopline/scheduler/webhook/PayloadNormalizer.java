package dev.loopline.scheduler.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.spec.LoopSpec.EventTrigger.Source;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a verified GitHub or GitLab payload into a {@link WebhookEvent}, or says why it triggers nothing.
 *
 * <ul>
 *   <li>GitHub: {@code push} to a branch (not a tag, not a deletion); {@code issues} with action {@code
 *       labeled}; {@code issue_comment} created on a pull request; {@code pull_request_review_comment}
 *       created.
 *   <li>GitLab: {@code Push Hook} to a branch (not a deletion); {@code Issue Hook} (also confidential) whose
 *       {@code changes.labels} add a label; {@code Note Hook} (also confidential) created on a merge request.
 * </ul>
 */
public final class PayloadNormalizer {

    static final String BRANCH_PREFIX = "refs/heads/";
    private static final String ZERO_SHA = "0000000000000000000000000000000000000000";

    private PayloadNormalizer() {}

    /** @param event the {@code X-GitHub-Event} header */
    public static Normalized github(String event, String deliveryId, JsonNode body) {
        String e = event == null ? "" : event.trim();
        switch (e) {
            case "push" -> {
                String repo = required(body, "repository", "full_name");
                String ref = required(body, "ref");
                if (body.path("deleted").asBoolean(false)) {
                    return new Normalized.Ignored("push deletes " + ref);
                }
                if (!ref.startsWith(BRANCH_PREFIX)) {
                    return new Normalized.Ignored("push of " + ref + " is not a branch push");
                }
                return new Normalized.Matchable(
                        WebhookEvent.push(Source.GITHUB, repo, ref.substring(BRANCH_PREFIX.length()), deliveryId));
            }
            case "issues" -> {
                String action = body.path("action").asText("");
                if (!"labeled".equals(action)) {
                    return new Normalized.Ignored("issues action " + action + " adds no label");
                }
                String repo = required(body, "repository", "full_name");
                String label = required(body, "label", "name");
                return new Normalized.Matchable(WebhookEvent.labelled(Source.GITHUB, repo, List.of(label), deliveryId));
            }
            case "issue_comment" -> {
                String action = body.path("action").asText("");
                if (!"created".equals(action)) {
                    return new Normalized.Ignored("issue_comment action " + action + " is not a new comment");
                }
                if (!body.path("issue").has("pull_request")) {
                    return new Normalized.Ignored("comment on an issue, not on a pull request");
                }
                String repo = required(body, "repository", "full_name");
                String text = required(body, "comment", "body");
                return new Normalized.Matchable(WebhookEvent.comment(Source.GITHUB, repo, text, deliveryId));
            }
            case "pull_request_review_comment" -> {
                String action = body.path("action").asText("");
                if (!"created".equals(action)) {
                    return new Normalized.Ignored(
                            "pull_request_review_comment action " + action + " is not a new comment");
                }
                String repo = required(body, "repository", "full_name");
                String text = required(body, "comment", "body");
                return new Normalized.Matchable(WebhookEvent.comment(Source.GITHUB, repo, text, deliveryId));
            }
            default -> {
                return new Normalized.Ignored("GitHub event '" + e + "' is not an event trigger");
            }
        }
    }

    /** @param event the {@code X-Gitlab-Event} header */
    public static Normalized gitlab(String event, String deliveryId, JsonNode body) {
        String e = event == null ? "" : event.trim();
        switch (e) {
            case "Push Hook" -> {
                String repo = required(body, "project", "path_with_namespace");
                String ref = required(body, "ref");
                if (ZERO_SHA.equals(body.path("after").asText(""))) {
                    return new Normalized.Ignored("push deletes " + ref);
                }
                if (!ref.startsWith(BRANCH_PREFIX)) {
                    return new Normalized.Ignored("push of " + ref + " is not a branch push");
                }
                return new Normalized.Matchable(
                        WebhookEvent.push(Source.GITLAB, repo, ref.substring(BRANCH_PREFIX.length()), deliveryId));
            }
            case "Issue Hook", "Confidential Issue Hook" -> {
                String repo = required(body, "project", "path_with_namespace");
                JsonNode labels = body.path("changes").path("labels");
                if (labels.isMissingNode() || labels.isNull()) {
                    return new Normalized.Ignored("issue update changes no labels");
                }
                Set<String> added = titles(labels.path("current"));
                added.removeAll(titles(labels.path("previous")));
                if (added.isEmpty()) {
                    return new Normalized.Ignored("issue update adds no label");
                }
                return new Normalized.Matchable(
                        WebhookEvent.labelled(Source.GITLAB, repo, new ArrayList<>(added), deliveryId));
            }
            case "Note Hook", "Confidential Note Hook" -> {
                JsonNode attributes = body.path("object_attributes");
                String type = attributes.path("noteable_type").asText("");
                if (!"MergeRequest".equals(type)) {
                    return new Normalized.Ignored(
                            "note on " + (type.isEmpty() ? "unknown" : type) + ", not on a merge request");
                }
                String action = attributes.path("action").asText("create");
                if (!"create".equals(action)) {
                    return new Normalized.Ignored("note action " + action + " is not a new comment");
                }
                String repo = required(body, "project", "path_with_namespace");
                String text = required(body, "object_attributes", "note");
                return new Normalized.Matchable(WebhookEvent.comment(Source.GITLAB, repo, text, deliveryId));
            }
            default -> {
                return new Normalized.Ignored("GitLab event '" + e + "' is not an event trigger");
            }
        }
    }

    private static Set<String> titles(JsonNode labels) {
        Set<String> titles = new LinkedHashSet<>();
        if (labels.isArray()) {
            for (JsonNode label : labels) {
                String title = label.path("title").asText("");
                if (!title.isEmpty()) {
                    titles.add(title);
                }
            }
        }
        return titles;
    }

    private static String required(JsonNode body, String... path) {
        JsonNode node = body;
        for (String field : path) {
            node = node.path(field);
        }
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new MalformedPayloadException("payload lacks " + String.join(".", path));
        }
        return node.asText();
    }
}
