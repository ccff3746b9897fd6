package dev.loopline.core.guard.integrity;

/** Builds small git diffs for tests; hunk counts are computed from the marked body lines. */
final class Diffs {

    private Diffs() {}

    /** A modification of {@code path}; {@code body} lines start with '+', '-' or ' '. */
    static String modify(String path, String... body) {
        return "diff --git a/" + path + " b/" + path + "\nindex 1111111..2222222 100644\n--- a/" + path + "\n+++ b/"
                + path + "\n" + hunk(body);
    }

    static String add(String path, String... lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append('+').append(l).append('\n');
        }
        return "diff --git a/" + path + " b/" + path + "\nnew file mode 100644\n--- /dev/null\n+++ b/" + path
                + "\n@@ -0,0 +1," + lines.length + " @@\n" + b;
    }

    static String delete(String path, String... lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append('-').append(l).append('\n');
        }
        return "diff --git a/" + path + " b/" + path + "\ndeleted file mode 100644\n--- a/" + path
                + "\n+++ /dev/null\n@@ -1," + lines.length + " +0,0 @@\n" + b;
    }

    static String rename(String from, String to) {
        return "diff --git a/" + from + " b/" + to + "\nsimilarity index 100%\nrename from " + from + "\nrename to "
                + to + "\n";
    }

    static String hunk(String... body) {
        int old = 0;
        int neu = 0;
        StringBuilder b = new StringBuilder();
        for (String l : body) {
            char c = l.charAt(0);
            if (c != '+') {
                old++;
            }
            if (c != '-') {
                neu++;
            }
            b.append(l).append('\n');
        }
        return "@@ -10," + old + " +10," + neu + " @@\n" + b;
    }
}
