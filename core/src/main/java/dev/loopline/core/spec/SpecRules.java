package dev.loopline.core.spec;

import dev.loopline.core.policy.Glob;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.schemas.spec.LoopSpec.EventTrigger;
import dev.loopline.schemas.spec.LoopSpec.EventTrigger.EventType;
import java.util.ArrayList;
import java.util.List;

/**
 * What the schema cannot say clearly. About {@code on}: a filter that does not apply to its event (branches
 * outside push, labels outside issue-labelled, command outside comment) would silently never narrow
 * anything, so it is an error; and every branch glob must compile. About {@code protected}: every glob must
 * compile, since a pin that cannot match would silently protect nothing.
 */
final class SpecRules {

    /** One problem: the field path ({@code $.on[0].labels}) and what is wrong. */
    record Violation(String path, String message) {}

    private SpecRules() {}

    static List<Violation> check(LoopSpec spec) {
        List<Violation> violations = new ArrayList<>();
        List<EventTrigger> on = spec.onOrEmpty();
        for (int i = 0; i < on.size(); i++) {
            EventTrigger t = on.get(i);
            String at = "$.on[" + i + "]";
            if (t.branches() != null && t.event() != EventType.PUSH) {
                violations.add(new Violation(
                        at + ".branches",
                        "branches apply only to event push, not " + t.event().wireName() + "; remove them"));
            }
            if (t.labels() != null && t.event() != EventType.ISSUE_LABELLED) {
                violations.add(new Violation(
                        at + ".labels",
                        "labels apply only to event issue-labelled, not "
                                + t.event().wireName() + "; remove them"));
            }
            if (t.command() != null && t.event() != EventType.COMMENT) {
                violations.add(new Violation(
                        at + ".command",
                        "command applies only to event comment, not "
                                + t.event().wireName() + "; remove it"));
            }
            if (t.branches() != null) {
                for (int b = 0; b < t.branches().size(); b++) {
                    try {
                        Glob.compile(t.branches().get(b), false);
                    } catch (IllegalArgumentException e) {
                        violations.add(new Violation(at + ".branches[" + b + "]", e.getMessage()));
                    }
                }
            }
        }
        List<String> pinned = spec.protectedOrEmpty();
        for (int p = 0; p < pinned.size(); p++) {
            try {
                Glob.compile(pinned.get(p), false);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation("$.protected[" + p + "]", e.getMessage()));
            }
        }
        return violations;
    }
}
