package dev.loopline.core.guard.integrity;

import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.FileChange;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the whole diff changes, from its paths alone (one pass, no line is read): whether any product source
 * changed, and which names and directories it touched, so a rule on one file can ask whether an edited
 * expectation or snapshot has a source change to explain it.
 */
final class DiffContext {

    private static final String[] FIXTURE_DIRS = {
        "__snapshots__", "snapshots", "testdata", "golden", "goldens", "expected", "fixtures", "__fixtures__"
    };

    private final boolean productChanged;
    private final Set<String> productStems = new HashSet<>();
    private final Set<String> productDirs = new HashSet<>();

    private DiffContext(Diff diff) {
        boolean changed = false;
        for (FileChange f : diff.files()) {
            for (String p : f.paths()) {
                if (PathKind.isProductSource(p)) {
                    changed = true;
                    productStems.add(stem(p));
                    productDirs.add(dir(p));
                }
            }
        }
        this.productChanged = changed;
    }

    static DiffContext of(Diff diff) {
        return new DiffContext(diff);
    }

    boolean productChanged() {
        return productChanged;
    }

    /**
     * Whether a changed product file plausibly renders this snapshot or golden file: it has the same name
     * stem (ignoring test affixes) or sits in the directory that holds the fixture directory.
     */
    boolean explains(String fixturePath) {
        if (!productChanged) {
            return false;
        }
        String s = stem(fixturePath);
        if (productStems.contains(s)) {
            return true;
        }
        for (String p : productStems) {
            if (p.length() >= 3 && (s.startsWith(p) || s.endsWith(p))) {
                return true;
            }
        }
        String d = dir(fixturePath);
        while (true) {
            String base = PathKind.basename(d);
            boolean fixtureDir = false;
            for (String fd : FIXTURE_DIRS) {
                if (base.equalsIgnoreCase(fd)) {
                    fixtureDir = true;
                    break;
                }
            }
            if (!fixtureDir) {
                break;
            }
            d = dir(d);
        }
        return productDirs.contains(d);
    }

    /** Lower-case file name up to its first dot, without test affixes: {@code Button.test.tsx.snap -> button}. */
    static String stem(String path) {
        String base = PathKind.basename(path).toLowerCase(Locale.ROOT);
        int dot = base.indexOf('.');
        String s = dot > 0 ? base.substring(0, dot) : base;
        if (s.startsWith("test_")) {
            s = s.substring(5);
        }
        for (String suffix : new String[] {"_test", "_tests", "_spec", "test", "tests", "spec"}) {
            if (s.length() > suffix.length() && s.endsWith(suffix)) {
                s = s.substring(0, s.length() - suffix.length());
                break;
            }
        }
        return s.replace("-", "").replace("_", "");
    }

    private static String dir(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
