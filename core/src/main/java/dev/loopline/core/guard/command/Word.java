package dev.loopline.core.guard.command;

import java.util.List;

/**
 * One shell word after quote removal.
 *
 * @param text the cooked value; expansions ({@code $X}, {@code $(..)}) are kept as their source text
 * @param quoted whether any part of the word was quoted or escaped
 * @param firstQuoted index in {@code text} where the first quoted character starts, or -1
 * @param expansion whether the word contains a parameter, arithmetic or command expansion
 * @param substituted commands executed by command or process substitutions inside this word
 */
record Word(String text, boolean quoted, int firstQuoted, boolean expansion, List<SimpleCommand> substituted) {

    static Word literal(String text) {
        return new Word(text, false, -1, false, List.of());
    }

    /** True when the word is exactly {@code s}, unquoted: how reserved words and operators are recognised. */
    boolean isBare(String s) {
        return !quoted && !expansion && text.equals(s);
    }

    /** True when the word is a variable assignment such as {@code FOO=1} (the name part unquoted). */
    boolean isAssignment() {
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
