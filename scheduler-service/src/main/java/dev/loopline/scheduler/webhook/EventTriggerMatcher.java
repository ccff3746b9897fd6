package dev.loopline.scheduler.webhook;

import dev.loopline.core.policy.Glob;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.schemas.spec.LoopSpec.EventTrigger;
import java.util.List;

/** Whether a loop's {@code on} entries match a delivery. A pure rule; repositories and labels ignore case. */
public final class EventTriggerMatcher {

    private EventTriggerMatcher() {}

    /** The first of the loop's triggers that matches, or {@code null}. */
    public static EventTrigger firstMatch(LoopSpec spec, WebhookEvent event) {
        for (EventTrigger trigger : spec.onOrEmpty()) {
            if (matches(trigger, event)) {
                return trigger;
            }
        }
        return null;
    }

    public static boolean matches(EventTrigger trigger, WebhookEvent event) {
        if (trigger.source() != event.source()
                || trigger.event() != event.kind()
                || !trigger.repo().equalsIgnoreCase(event.repo())) {
            return false;
        }
        return switch (event.kind()) {
            case PUSH -> branchMatches(trigger.branches(), event.branch());
            case ISSUE_LABELLED -> labelMatches(trigger.labels(), event.labels());
            case COMMENT -> commandMatches(trigger.command(), event.commentBody());
        };
    }

    /** No branches: every branch. Otherwise an exact name or a glob ({@code release/*}). */
    static boolean branchMatches(List<String> branches, String branch) {
        if (branch == null) {
            return false;
        }
        if (branches == null || branches.isEmpty()) {
            return true;
        }
        for (String b : branches) {
            if (b.equals(branch) || Glob.compile(b, false).matches(branch)) {
                return true;
            }
        }
        return false;
    }

    static boolean labelMatches(List<String> wanted, List<String> added) {
        if (wanted == null) {
            return false;
        }
        for (String w : wanted) {
            for (String a : added) {
                if (w.equalsIgnoreCase(a)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The trimmed body starts with the trimmed command, followed by its end or white space: {@code /loopline
     * run} matches {@code /loopline run please} but not {@code /loopline running}.
     */
    static boolean commandMatches(String command, String body) {
        if (command == null || body == null) {
            return false;
        }
        String c = command.strip();
        String b = body.strip();
        if (c.isEmpty() || !b.startsWith(c)) {
            return false;
        }
        return b.length() == c.length() || Character.isWhitespace(b.charAt(c.length()));
    }
}
