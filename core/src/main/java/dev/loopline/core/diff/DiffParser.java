package dev.loopline.core.diff;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Parses {@code git diff} and plain {@code diff -u} output into a {@link Diff}.
 *
 * <p>Hunk bodies are consumed by the counts in their {@code @@} header, so an added line whose text
 * starts with {@code ++} or {@code --} stays content. Anything the parser cannot vouch for (a
 * truncated hunk, a stray {@code +} line between files, a bad header, combined merge diffs) raises
 * {@link DiffParseException}; callers fail closed. Lines before the first file header (an e-mail
 * preamble of {@code git format-patch}, {@code diff -ru} command lines, {@code Only in ...}) are
 * skipped. The scanner walks the text with {@code indexOf('\n')} and no regular expressions, and hunk lines
 * keep offsets into the text instead of copies ({@link Line}).
 */
public final class DiffParser {

    private static final String DEV_NULL = "/dev/null";
    private static final int MAX_NUMBER_DIGITS = 9;

    private final String s;
    private final int len;
    private int next;
    private int ls;
    private int le;
    private int lineNo;
    private boolean has;

    private DiffParser(String text) {
        this.s = text;
        this.len = text.length();
    }

    /** Parses unified diff text; empty or blank input yields an empty diff. */
    public static Diff parse(String text) throws DiffParseException {
        Objects.requireNonNull(text, "text");
        DiffParser p = new DiffParser(text);
        try {
            return p.parseAll();
        } catch (RuntimeException e) {
            // Last line of defence: never let arbitrary input escape as an unchecked crash.
            throw new DiffParseException(Math.max(1, p.lineNo), "well-formed diff input (" + e + ")");
        }
    }

    private Diff parseAll() throws DiffParseException {
        List<FileChange> files = new ArrayList<>();
        boolean sawText = false;
        boolean inTrailer = false;
        advance();
        while (has) {
            if (startsWith("diff --git ")) {
                inTrailer = false;
                files.add(parseGitFile());
                continue;
            }
            if (startsWith("diff --cc ") || startsWith("diff --combined ")) {
                throw error(lineNo, "a two-sided diff (combined merge diffs are not supported)");
            }
            if (!inTrailer && startsWith("--- ")) {
                files.add(parsePlainFile());
                continue;
            }
            if (!inTrailer && startsWith("Binary files ") && endsWith(" differ")) {
                // diff -r reports a changed binary file on one line, outside any file header
                files.add(plainBinary());
                advance();
                continue;
            }
            if (!inTrailer && startsWith("@@")) {
                throw error(lineNo, "a file header ('diff --git' or '--- ') before the hunk header");
            }
            if (le > ls) {
                char c = s.charAt(ls);
                if (!files.isEmpty() && !inTrailer) {
                    if (le - ls == 3 && startsWith("-- ")) {
                        // format-patch signature separator: the rest is trailer until the next file.
                        inTrailer = true;
                    } else if (c == '+' || c == '-' || c == ' ' || c == '\\') {
                        throw error(lineNo, "a file header or hunk header, not a stray hunk line");
                    }
                }
                if (!isBlank(ls, le)) {
                    sawText = true;
                }
            }
            advance();
        }
        if (files.isEmpty() && sawText) {
            throw error(1, "a unified diff ('diff --git' or '---'/'+++' file headers)");
        }
        return new Diff(files);
    }

    private FileChange parseGitFile() throws DiffParseException {
        int headerLine = lineNo;
        String[] headerPaths = parseGitHeaderPaths(ls + "diff --git ".length(), le);
        advance();
        String oldMode = null;
        String newMode = null;
        String indexMode = null;
        boolean added = false;
        boolean deleted = false;
        boolean binary = false;
        String renameFrom = null;
        String renameTo = null;
        String copyFrom = null;
        String copyTo = null;
        String oldHdr = null;
        String newHdr = null;
        boolean oldIsNull = false;
        boolean newIsNull = false;
        List<Hunk> hunks = new ArrayList<>();
        while (has) {
            if (startsWith("old mode ")) {
                oldMode = rest("old mode ");
            } else if (startsWith("new mode ")) {
                newMode = rest("new mode ");
            } else if (startsWith("deleted file mode ")) {
                deleted = true;
                oldMode = rest("deleted file mode ");
            } else if (startsWith("new file mode ")) {
                added = true;
                newMode = rest("new file mode ");
            } else if (startsWith("similarity index ") || startsWith("dissimilarity index ")) {
                // informational
            } else if (startsWith("rename from ")) {
                renameFrom = headerPath(ls + "rename from ".length(), le, false);
            } else if (startsWith("rename to ")) {
                renameTo = headerPath(ls + "rename to ".length(), le, false);
            } else if (startsWith("copy from ")) {
                copyFrom = headerPath(ls + "copy from ".length(), le, false);
            } else if (startsWith("copy to ")) {
                copyTo = headerPath(ls + "copy to ".length(), le, false);
            } else if (startsWith("index ")) {
                int sp = indexOf(' ', ls + "index ".length(), le);
                if (sp > 0) {
                    indexMode = s.substring(sp + 1, le).trim();
                }
            } else if (startsWith("Binary files ") && endsWith(" differ")) {
                binary = true;
            } else if (startsWith("GIT binary patch")) {
                binary = true;
                skipBinaryPatch();
                continue;
            } else if (startsWith("--- ")) {
                int minusLine = lineNo;
                String old = headerPath(ls + 4, le, true);
                advance();
                if (!has || !startsWith("+++ ")) {
                    throw error(has ? lineNo : minusLine + 1, "'+++ ' after '--- '");
                }
                String neu = headerPath(ls + 4, le, true);
                oldIsNull = DEV_NULL.equals(old);
                newIsNull = DEV_NULL.equals(neu);
                oldHdr = oldIsNull ? null : stripPrefix(old, "a/");
                newHdr = newIsNull ? null : stripPrefix(neu, "b/");
                advance();
                if (!has || !startsWith("@@ ")) {
                    throw error(has ? lineNo : lineNo + 1, "a hunk header '@@ -a,b +c,d @@' after '+++ '");
                }
                while (has && startsWith("@@ ")) {
                    hunks.add(parseHunk());
                }
                break;
            } else if (startsWith("@@")) {
                throw error(lineNo, "'--- ' and '+++ ' file headers before the hunk header");
            } else {
                break;
            }
            advance();
        }
        added |= oldIsNull;
        deleted |= newIsNull;
        if (added && deleted) {
            throw error(headerLine, "a file that is not both added and deleted");
        }
        String oldPath = firstNonNull(renameFrom, copyFrom, oldHdr, headerPaths[0]);
        String newPath = firstNonNull(renameTo, copyTo, newHdr, headerPaths[1]);
        ChangeType type;
        if (added) {
            type = ChangeType.ADDED;
            oldPath = null;
        } else if (deleted) {
            type = ChangeType.DELETED;
            newPath = null;
        } else if (renameFrom != null || renameTo != null) {
            type = ChangeType.RENAMED;
        } else if (copyFrom != null || copyTo != null) {
            type = ChangeType.COPIED;
        } else {
            type = ChangeType.MODIFIED;
        }
        if ((type != ChangeType.ADDED && isEmpty(oldPath)) || (type != ChangeType.DELETED && isEmpty(newPath))) {
            throw error(headerLine, "file paths in the 'diff --git' header");
        }
        if (indexMode != null && oldMode == null && newMode == null) {
            oldMode = type == ChangeType.ADDED ? null : indexMode;
            newMode = type == ChangeType.DELETED ? null : indexMode;
        }
        return new FileChange(oldPath, newPath, type, oldMode, newMode, binary, hunks);
    }

    private FileChange parsePlainFile() throws DiffParseException {
        int minusLine = lineNo;
        String old = headerPath(ls + 4, le, true);
        advance();
        if (!has || !startsWith("+++ ")) {
            throw error(has ? lineNo : minusLine + 1, "'+++ ' after '--- '");
        }
        String neu = headerPath(ls + 4, le, true);
        advance();
        if (!has || !startsWith("@@ ")) {
            throw error(has ? lineNo : lineNo + 1, "a hunk header '@@ -a,b +c,d @@' after '+++ '");
        }
        List<Hunk> hunks = new ArrayList<>();
        while (has && startsWith("@@ ")) {
            hunks.add(parseHunk());
        }
        boolean oldNull = DEV_NULL.equals(old);
        boolean newNull = DEV_NULL.equals(neu);
        if (oldNull && newNull) {
            throw error(minusLine, "at least one side that is not /dev/null");
        }
        if (!oldNull && !newNull && old.startsWith("a/") && neu.startsWith("b/")) {
            old = old.substring(2);
            neu = neu.substring(2);
        }
        if ((!oldNull && old.isEmpty()) || (!newNull && neu.isEmpty())) {
            throw error(minusLine, "a file path after '--- ' and '+++ '");
        }
        ChangeType type = oldNull ? ChangeType.ADDED : newNull ? ChangeType.DELETED : ChangeType.MODIFIED;
        return new FileChange(oldNull ? null : old, newNull ? null : neu, type, null, null, false, hunks);
    }

    /** {@code Binary files A and B differ}: a binary change with no content to scan. */
    private FileChange plainBinary() throws DiffParseException {
        int from = ls + "Binary files ".length();
        int to = le;
        if (to > from && s.charAt(to - 1) == '\r') {
            to--;
        }
        to -= " differ".length();
        int and = indexOf(" and ", from, to);
        if (and < 0) {
            throw error(lineNo, "'Binary files <old> and <new> differ'");
        }
        String old = headerPath(from, and, true);
        String neu = headerPath(and + 5, to, true);
        boolean oldNull = DEV_NULL.equals(old);
        boolean newNull = DEV_NULL.equals(neu);
        if (oldNull && newNull || (!oldNull && old.isEmpty()) || (!newNull && neu.isEmpty())) {
            throw error(lineNo, "a file path in 'Binary files <old> and <new> differ'");
        }
        if (!oldNull && !newNull && old.startsWith("a/") && neu.startsWith("b/")) {
            old = old.substring(2);
            neu = neu.substring(2);
        }
        ChangeType type = oldNull ? ChangeType.ADDED : newNull ? ChangeType.DELETED : ChangeType.MODIFIED;
        return new FileChange(oldNull ? null : old, newNull ? null : neu, type, null, null, true, List.of());
    }

    private Hunk parseHunk() throws DiffParseException {
        int headerLine = lineNo;
        int i = ls + 3; // after "@@ "
        if (i >= le || s.charAt(i) != '-') {
            throw error(headerLine, "'-' after '@@ ' in the hunk header");
        }
        long[] num = new long[2];
        i = number(i + 1, num, 0, headerLine);
        long oldStart = num[0];
        long oldCount = 1;
        if (i < le && s.charAt(i) == ',') {
            i = number(i + 1, num, 0, headerLine);
            oldCount = num[0];
        }
        if (i + 1 >= le || s.charAt(i) != ' ' || s.charAt(i + 1) != '+') {
            throw error(headerLine, "' +' and the new range in the hunk header");
        }
        i = number(i + 2, num, 1, headerLine);
        long newStart = num[1];
        long newCount = 1;
        if (i < le && s.charAt(i) == ',') {
            i = number(i + 1, num, 1, headerLine);
            newCount = num[1];
        }
        if (i + 3 > le || !s.startsWith(" @@", i)) {
            throw error(headerLine, "' @@' closing the hunk header");
        }
        String section = i + 3 < le ? s.substring(i + 3, le).strip() : "";
        if ((oldStart == 0 && oldCount > 0) || (newStart == 0 && newCount > 0)) {
            throw error(headerLine, "a start line of at least 1 for a non-empty range");
        }
        int oldNo = (int) oldStart;
        int newNo = (int) newStart;
        long oldRem = oldCount;
        long newRem = newCount;
        ParsedLines lines = new ParsedLines((int) Math.min(oldCount + newCount, 4096));
        advance();
        while (oldRem > 0 || newRem > 0) {
            if (!has) {
                throw error(
                        lineNo + 1,
                        oldRem + " more old and " + newRem + " more new line(s) of the hunk at line " + headerLine);
            }
            char c = le > ls ? s.charAt(ls) : ' ';
            switch (c) {
                case ' ' -> {
                    if (oldRem == 0 || newRem == 0) {
                        throw countError(oldRem, newRem, headerLine);
                    }
                    lines.append(line(Line.Kind.CONTEXT, oldNo++, newNo++));
                    oldRem--;
                    newRem--;
                }
                case '-' -> {
                    if (oldRem == 0) {
                        throw countError(oldRem, newRem, headerLine);
                    }
                    lines.append(line(Line.Kind.REMOVED, oldNo++, 0));
                    oldRem--;
                }
                case '+' -> {
                    if (newRem == 0) {
                        throw countError(oldRem, newRem, headerLine);
                    }
                    lines.append(line(Line.Kind.ADDED, 0, newNo++));
                    newRem--;
                }
                case '\\' -> {
                    // "\ No newline at end of file" qualifies the previous line.
                }
                default -> throw error(
                        lineNo,
                        "a hunk line starting with ' ', '+', '-' or '\\' (" + oldRem + " old and " + newRem
                                + " new line(s) left in the hunk at line " + headerLine + ")");
            }
            advance();
        }
        while (has && le > ls && s.charAt(ls) == '\\') {
            advance();
        }
        return new Hunk((int) oldStart, (int) oldCount, (int) newStart, (int) newCount, section, lines);
    }

    private DiffParseException countError(long oldRem, long newRem, int headerLine) {
        return error(
                lineNo,
                "a line fitting the hunk counts (" + oldRem + " old and " + newRem
                        + " new line(s) left in the hunk at line " + headerLine + ")");
    }

    private int number(int i, long[] out, int slot, int headerLine) throws DiffParseException {
        int start = i;
        long v = 0;
        while (i < le) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
            i++;
            if (i - start > MAX_NUMBER_DIGITS) {
                throw error(headerLine, "a line number of at most " + MAX_NUMBER_DIGITS + " digits");
            }
        }
        if (i == start) {
            throw error(headerLine, "a decimal line number in the hunk header");
        }
        out[slot] = v;
        return i;
    }

    private void skipBinaryPatch() throws DiffParseException {
        int start = lineNo;
        advance();
        boolean sawBlock = false;
        while (has && (startsWith("literal ") || startsWith("delta "))) {
            sawBlock = true;
            advance();
            while (has && le > ls) {
                advance();
            }
            if (has) {
                advance(); // the blank line closing the block
            }
        }
        if (!sawBlock) {
            throw error(start + 1, "'literal <size>' or 'delta <size>' after 'GIT binary patch'");
        }
    }

    private String[] parseGitHeaderPaths(int from, int to) throws DiffParseException {
        String[] out = new String[2];
        if (from >= to) {
            return out;
        }
        if (s.charAt(from) == '"') {
            int[] end = new int[1];
            String a = unquote(from, to, end);
            int i = end[0];
            if (i < to && s.charAt(i) == ' ') {
                i++;
            }
            String b = i < to && s.charAt(i) == '"' ? unquote(i, to, end) : s.substring(i, to);
            out[0] = stripPrefix(a, "a/");
            out[1] = stripPrefix(b, "b/");
            return out;
        }
        int q = indexOf(" \"", from, to);
        if (q >= 0) {
            out[0] = stripPrefix(s.substring(from, q), "a/");
            out[1] = stripPrefix(unquote(q + 1, to, new int[1]), "b/");
            return out;
        }
        int n = to - from;
        if (n % 2 == 1) {
            int mid = from + n / 2;
            if (s.charAt(mid) == ' ') {
                String a = stripPrefix(s.substring(from, mid), "a/");
                String b = stripPrefix(s.substring(mid + 1, to), "b/");
                if (a.equals(b)) {
                    out[0] = a;
                    out[1] = b;
                    return out;
                }
            }
        }
        int sp = indexOf(" b/", from, to);
        if (sp >= 0) {
            out[0] = stripPrefix(s.substring(from, sp), "a/");
            out[1] = s.substring(sp + 3, to);
        }
        return out;
    }

    /** A path on a header line: C-quoted, or raw up to a tab (timestamps and git's space marker). */
    private String headerPath(int from, int to, boolean stopAtTab) throws DiffParseException {
        if (from < to && s.charAt(from) == '"') {
            return unquote(from, to, new int[1]);
        }
        int end = to;
        if (stopAtTab) {
            int tab = indexOf('\t', from, to);
            if (tab >= 0) {
                end = tab;
            }
        }
        if (end > from && s.charAt(end - 1) == '\r') {
            end--;
        }
        return s.substring(from, end);
    }

    /** Decodes git's C-style quoting, including octal escapes of UTF-8 bytes. */
    private String unquote(int from, int to, int[] endOut) throws DiffParseException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        int i = from + 1;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '"') {
                endOut[0] = i + 1;
                return bytes.toString(StandardCharsets.UTF_8);
            }
            if (c == '\\') {
                if (i + 1 >= to) {
                    break;
                }
                char e = s.charAt(i + 1);
                if (e >= '0' && e <= '7') {
                    int v = 0;
                    int j = i + 1;
                    while (j < to && j < i + 4 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
                        v = v * 8 + (s.charAt(j) - '0');
                        j++;
                    }
                    bytes.write(v & 0xff);
                    i = j;
                    continue;
                }
                int decoded =
                        switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            case 'a' -> 7;
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            case 'v' -> 11;
                            case '\\' -> '\\';
                            case '"' -> '"';
                            default -> -1;
                        };
                if (decoded < 0) {
                    throw error(lineNo, "a valid escape in a quoted path, not '\\" + e + "'");
                }
                bytes.write(decoded);
                i += 2;
                continue;
            }
            byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            if (Character.isHighSurrogate(c) && i + 1 < to) {
                utf8 = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                i++;
            }
            bytes.write(utf8, 0, utf8.length);
            i++;
        }
        throw error(lineNo, "a closing '\"' for the quoted path");
    }

    /** indexOf bounded to the current line: never scans the rest of a multi-megabyte input. */
    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(String needle, int from, int to) {
        int last = to - needle.length();
        for (int i = from; i <= last; i++) {
            if (s.startsWith(needle, i)) {
                return i;
            }
        }
        return -1;
    }

    private static String stripPrefix(String path, String prefix) {
        return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
    }

    private static String firstNonNull(String a, String b, String c, String d) {
        return a != null ? a : b != null ? b : c != null ? c : d;
    }

    private static boolean isEmpty(String v) {
        return v == null || v.isEmpty();
    }

    private boolean isBlank(int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The current hunk line without its marker, as offsets: its text is copied only if it is read. */
    private Line line(Line.Kind kind, int oldNo, int newNo) {
        return le > ls ? new Line(kind, s, ls + 1, le, oldNo, newNo) : new Line(kind, "", oldNo, newNo);
    }

    private String rest(String prefix) {
        return s.substring(ls + prefix.length(), le).trim();
    }

    private boolean startsWith(String prefix) {
        return le - ls >= prefix.length() && s.startsWith(prefix, ls);
    }

    private boolean endsWith(String suffix) {
        return le - ls >= suffix.length() && s.startsWith(suffix, le - suffix.length());
    }

    private void advance() {
        if (next >= len) {
            has = false;
            ls = le = len;
            return;
        }
        ls = next;
        int nl = s.indexOf('\n', next);
        if (nl < 0) {
            le = len;
            next = len;
        } else {
            le = nl;
            next = nl + 1;
        }
        lineNo++;
        has = true;
    }

    private static DiffParseException error(int line, String expected) {
        return new DiffParseException(line, expected);
    }
}
