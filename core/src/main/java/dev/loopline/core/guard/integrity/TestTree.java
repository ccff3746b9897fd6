package dev.loopline.core.guard.integrity;

import java.util.List;

/**
 * The files of the tree a diff applies to, as the integrity scanner may read them: where it looks for the inputs and
 * answers of the tests that already exist, which a change that touches no test may still special-case. Read only when
 * the diff's product code special-cases literals at all, and then within a budget. The scanner does no I/O itself:
 * the guard supplies its checkout through this.
 */
public interface TestTree {

    /** No tree: only the tests in the diff are consulted. */
    TestTree NONE = new TestTree() {
        @Override
        public List<String> paths() {
            return List.of();
        }

        @Override
        public String read(String path, int maxChars) {
            return null;
        }
    };

    /** Repository-relative paths ({@code /}-separated) of the tree's files. */
    List<String> paths();

    /** The text of {@code path}, or null when it is missing, binary, unreadable or longer than {@code maxChars}. */
    String read(String path, int maxChars);
}
