package dev.loopline.core.guard.harness;

/**
 * A change to a pinned file.
 *
 * @param ruleId {@link #HARNESS_CHANGED} or {@link #LOOP_SPEC_CHANGED}
 * @param path the path the change leaves behind (the removed path for a deletion)
 * @param change what happened to it: {@code edited}, {@code added}, {@code deleted}, {@code renamed from x},
 *     {@code mode changed}, {@code binary change}
 * @param role why the file is pinned, for people: "the script the test command runs (sh test.sh)"
 */
public record HarnessFinding(String ruleId, String path, String change, String role) {

    public static final String HARNESS_CHANGED = "harness-changed";
    public static final String LOOP_SPEC_CHANGED = "loop-spec-changed";

    public String message() {
        return path + " " + change + ": " + role;
    }
}
