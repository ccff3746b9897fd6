package dev.loopline.core.guard.command;

import java.util.List;
import java.util.Objects;

/**
 * One shell word after quote removal.
 *
 * @param text the cooked value; expansions ({@code $X}, {@code $(..)}) are kept as their source text
 * @param quoted whether any part of the word was quoted or escaped
 * @param firstQuoted index in {@code text} where the first quoted character starts, or -1
 * @param expansion whether the word contains a parameter, arithmetic or command expansion
 * @param substituted commands executed by command or process substitutions inside this word
 */
final class Word {
    /** The cooked text; for a {@link #slice} null until first asked, most arguments never are. */
    private String text;
    /** For a {@link #slice}: the script it was cut from and where, else null. */
    private final String source;

    private final int start;
    private final int end;
    private final boolean quoted;
    private final int firstQuoted;
    private final boolean expansion;
    private final List<SimpleCommand> substituted;
    /** The program name this word runs as ({@code /usr/bin/rm} runs as {@code rm}); computed on first use. */
    private String commandName;
    /** {@link CommandKinds#of} of the command name, or -1 until first asked. */
    private int kind = -1;
    /** {@link #isAssignment()}: 0 until first asked, then 1 (no) or 2 (yes). */
    private byte assignment;

    Word(String text, boolean quoted, int firstQuoted, boolean expansion, List<SimpleCommand> substituted) {
        this.text = text;
        this.source = null;
        this.start = 0;
        this.end = 0;
        this.quoted = quoted;
        this.firstQuoted = firstQuoted;
        this.expansion = expansion;
        this.substituted = substituted;
    }

    /** A plain (unquoted, unexpanded) word that is {@code source[start, end)}: the text is cut out on first use. */
    private Word(String source, int start, int end) {
        this.source = source;
        this.start = start;
        this.end = end;
        this.quoted = false;
        this.firstQuoted = -1;
        this.expansion = false;
        this.substituted = List.of();
    }

    static Word slice(String source, int start, int end) {
        return new Word(source, start, end);
    }

    String text() {
        String t = text;
        if (t == null) {
            t = source.substring(start, end);
            text = t;
        }
        return t;
    }

    boolean quoted() {
        return quoted;
    }

    int firstQuoted() {
        return firstQuoted;
    }

    boolean expansion() {
        return expansion;
    }

    List<SimpleCommand> substituted() {
        return substituted;
    }

    /** The text after the last slash, as the shell looks the program up; cached (words are immutable). */
    String commandName() {
        String n = commandName;
        if (n == null) {
            String text = text();
            int slash = text.lastIndexOf('/');
            n = slash >= 0 && slash < text.length() - 1 ? text.substring(slash + 1) : text;
            commandName = n;
        }
        return n;
    }

    /** {@link CommandKinds#of} of {@link #commandName()}; cached, as the rules ask it of the same word many times. */
    int kind() {
        int k = kind;
        if (k < 0) {
            k = CommandKinds.of(commandName());
            kind = k;
        }
        return k;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Word w
                && quoted == w.quoted
                && firstQuoted == w.firstQuoted
                && expansion == w.expansion
                && text().equals(w.text())
                && substituted.equals(w.substituted);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text(), quoted, firstQuoted, expansion, substituted);
    }

    @Override
    public String toString() {
        return "Word[text=" + text() + ", quoted=" + quoted + ", firstQuoted=" + firstQuoted + ", expansion="
                + expansion + ", substituted=" + substituted + "]";
    }

    static Word literal(String text) {
        return new Word(text, false, -1, false, List.of());
    }

    /** True when the word is exactly {@code s}, unquoted: how reserved words and operators are recognised. */
    boolean isBare(String s) {
        return !quoted && !expansion && text().equals(s);
    }

    /** True when the word is a variable assignment such as {@code FOO=1} (the name part unquoted). */
    boolean isAssignment() {
        byte a = assignment;
        if (a == 0) {
            a = computeAssignment() ? (byte) 2 : (byte) 1;
            assignment = a;
        }
        return a == 2;
    }

    private boolean computeAssignment() {
        String text = text();
        int eq = text.indexOf('=');
        if (eq <= 0 || (firstQuoted >= 0 && firstQuoted < eq)) {
            return false;
        }
        for (int i = 0; i < eq; i++) {
            char c = text.charAt(i);
            boolean ok =
                    c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                // `a[1]=x` and `a+=x` are assignments too
                if (!((c == '+' && i == eq - 1) || c == '[' || c == ']')) {
                    return false;
                }
            }
        }
        return true;
    }
}
