package dev.loopline.core.guard.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shell variables a command string assigns to itself ({@code X=rm; $X -rf /}, {@code export c=curl},
 * {@code a=(rm -rf)}), and the resolution of {@code $X}, {@code ${X}}, {@code ${X[@]}} in later words so the
 * rules see the command that really runs. A variable whose value cannot be known statically (a command
 * substitution, another unknown variable) is remembered as unknown: words that use it stay unresolved, and a
 * command name that stays unresolved is blocked by the analyzer. One instance per analysed script; not shared
 * between threads.
 */
final class Variables {
    /** Stands for a value that cannot be known statically. */
    private static final String UNKNOWN = new String("\0unknown");
    /** What {@code d=$(mktemp -d)} resolves to: a fresh private directory, as harmless to delete as a local one. */
    static final String TEMP_DIR = "mktemp.tmp";

    private final Map<String, String> values = new HashMap<>();
    /**
     * The script sets {@code IFS}: an unquoted expansion is then split on characters this resolution does not
     * model ({@code IFS=,;c=rm,-rf,/;$c}), so such words stay unresolved and a command name among them is blocked.
     */
    private boolean ifsChanged;

    /** True when {@code c} is a bare assignment list or an {@code export}/{@code declare}-style builtin; records it. */
    boolean record(SimpleCommand c) {
        List<Word> w = c.words;
        if (w.isEmpty()) {
            return false;
        }
        int from = 0;
        if (!w.get(0).isAssignment()) {
            String name = w.get(0).text();
            if (!(name.equals("export")
                    || name.equals("declare")
                    || name.equals("typeset")
                    || name.equals("local")
                    || name.equals("readonly"))) {
                return false;
            }
            from = 1;
        } else {
            for (Word word : w) {
                if (!word.isAssignment()) {
                    return false; // `X=1 cmd`: the assignment applies to cmd only
                }
            }
        }
        for (int j = from; j < w.size(); j++) {
            Word word = w.get(j);
            if (!word.isAssignment()) {
                continue;
            }
            String t = word.text();
            int eq = t.indexOf('=');
            boolean append = eq > 0 && t.charAt(eq - 1) == '+';
            String name = t.substring(0, append ? eq - 1 : eq);
            ifsChanged |= name.equals("IFS");
            int bracket = name.indexOf('[');
            if (bracket >= 0) {
                values.put(name.substring(0, bracket), UNKNOWN); // element assignment: give up on the array
                continue;
            }
            String value = valueOf(word, t.substring(eq + 1));
            if (append) {
                String old = values.get(name);
                value = old == null ? value : (old == UNKNOWN || value == UNKNOWN ? UNKNOWN : old + value);
            }
            values.put(name, value);
        }
        return true;
    }

    private String valueOf(Word word, String raw) {
        if (!word.expansion()) {
            return raw;
        }
        List<SimpleCommand> subs = word.substituted();
        if (!subs.isEmpty()
                && ((raw.startsWith("$(") && raw.endsWith(")")) || (raw.startsWith("`") && raw.endsWith("`")))) {
            String known = knownSubstitution(subs);
            if (known != null) {
                return known;
            }
        }
        if (!subs.isEmpty()) {
            return UNKNOWN;
        }
        // a value made of other variables keeps the references it cannot resolve (`T=$GITHUB_TOKEN`), so later
        // rules still see what the variable holds; as a command name it stays unresolved and is blocked
        String resolved = substitute(raw);
        return resolved == null ? raw : resolved;
    }

    /**
     * The output of a substitution whose output is known: {@code $(which rm)} is {@code rm}, {@code $(echo rm)} is
     * {@code rm}, {@code $(mktemp -d)} a fresh temporary directory. Null otherwise.
     */
    static String knownSubstitution(List<SimpleCommand> subs) {
        if (subs.size() != 1 || subs.get(0).inMultiPipeline()) {
            return null;
        }
        List<Word> w = subs.get(0).words;
        if (w.isEmpty()) {
            return null;
        }
        for (Word word : w) {
            if (word.expansion()) {
                return null;
            }
        }
        String name = CommandAnalyzer.commandName(w.get(0));
        switch (name) {
            case "mktemp" -> {
                return TEMP_DIR;
            }
            case "which" -> {
                return w.size() == 2 ? w.get(1).text() : null;
            }
            case "command", "type" -> {
                return w.size() == 3
                                && (w.get(1).text().equals("-v")
                                        || w.get(1).text().equals("-P"))
                        ? w.get(2).text()
                        : null;
            }
            case "echo" -> {
                return w.size() >= 2 && !w.get(1).text().startsWith("-") ? CommandAnalyzer.join(w, 1) : null;
            }
            case "printf" -> {
                return w.size() >= 2 ? GeneratedText.printf(w, 1) : null;
            }
            default -> {
                return null;
            }
        }
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * {@code text} with every known variable replaced by its value; null when nothing was replaced. Unknown and
     * unassigned variables are left as they are.
     */
    String substitute(String text) {
        StringBuilder out = null;
        int copied = 0;
        int n = text.length();
        for (int k = 0; k < n; k++) {
            if (text.charAt(k) != '$' || k + 1 >= n) {
                continue;
            }
            int nameStart;
            int nameEnd;
            int refEnd;
            if (text.charAt(k + 1) == '{') {
                nameStart = k + 2;
                nameEnd = nameStart;
                while (nameEnd < n && isNameChar(text.charAt(nameEnd))) {
                    nameEnd++;
                }
                int close = nameEnd;
                if (close < n && text.charAt(close) == '[') {
                    int rb = text.indexOf(']', close);
                    if (rb < 0) {
                        continue;
                    }
                    close = rb + 1;
                }
                if (close >= n || text.charAt(close) != '}') {
                    continue; // `${X:-d}`, `${#X}`: an operator, not a plain reference
                }
                refEnd = close + 1;
            } else {
                nameStart = k + 1;
                nameEnd = nameStart;
                while (nameEnd < n && isNameChar(text.charAt(nameEnd))) {
                    nameEnd++;
                }
                refEnd = nameEnd;
            }
            if (nameEnd == nameStart || Character.isDigit(text.charAt(nameStart))) {
                continue;
            }
            String value = values.get(text.substring(nameStart, nameEnd));
            if (value == null || value == UNKNOWN) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n + 16);
            }
            out.append(text, copied, k).append(value);
            copied = refEnd;
            k = refEnd - 1;
        }
        if (out == null) {
            return null;
        }
        return out.append(text, copied, n).toString();
    }

    /** The command with its words and redirection targets resolved; {@code c} itself when nothing changed. */
    SimpleCommand resolve(SimpleCommand c) {
        List<Word> words = null;
        for (int j = 0; j < c.words.size(); j++) {
            Word word = c.words.get(j);
            boolean splitUnknown = ifsChanged && !word.quoted() && !word.isAssignment();
            String resolved = word.expansion() && !splitUnknown ? substitute(word.text()) : null;
            if (resolved == null) {
                if (words != null) {
                    words.add(word);
                }
                continue;
            }
            if (words == null) {
                words = new ArrayList<>(c.words.subList(0, j));
            }
            boolean still = hasExpansion(resolved);
            if ((word.quoted() && !word.text().contains("[@]")) || word.isAssignment()) {
                words.add(new Word(resolved, word.quoted(), word.firstQuoted(), still, word.substituted()));
            } else {
                // an unquoted expansion is split into words
                int start = -1;
                for (int k = 0; k <= resolved.length(); k++) {
                    boolean space = k == resolved.length() || Character.isWhitespace(resolved.charAt(k));
                    if (space && start >= 0) {
                        String part = resolved.substring(start, k);
                        words.add(new Word(part, false, -1, hasExpansion(part), word.substituted()));
                        start = -1;
                    } else if (!space && start < 0) {
                        start = k;
                    }
                }
            }
        }
        List<Redirect> redirects = null;
        for (int j = 0; j < c.redirects.size(); j++) {
            Redirect r = c.redirects.get(j);
            String resolved = r.target().expansion() && r.body() == null
                    ? substitute(r.target().text())
                    : null;
            if (resolved == null) {
                if (redirects != null) {
                    redirects.add(r);
                }
                continue;
            }
            if (redirects == null) {
                redirects = new ArrayList<>(c.redirects.subList(0, j));
            }
            Word t = r.target();
            redirects.add(new Redirect(
                    r.op(),
                    r.fd(),
                    new Word(resolved, t.quoted(), t.firstQuoted(), hasExpansion(resolved), t.substituted()),
                    null));
        }
        if (words == null && redirects == null) {
            return c;
        }
        SimpleCommand copy = new SimpleCommand();
        copy.words.addAll(words != null ? words : c.words);
        for (Redirect r : redirects != null ? redirects : c.redirects) {
            copy.addRedirect(r);
        }
        copy.pipeline = c.pipeline;
        copy.enclosingFunction = c.enclosingFunction;
        copy.background = c.background;
        copy.source = c.parsed();
        return copy;
    }

    static boolean hasExpansion(String s) {
        return s.indexOf('$') >= 0 || s.indexOf('`') >= 0;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
