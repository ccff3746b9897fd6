package dev.loopline.core.guard.command;

import java.util.ArrayList;
import java.util.List;

/**
 * The guard's shell parser seen from outside this package: the simple commands a script would run, as their
 * words after quote removal. Other rules (the harness pin) use it to read a test command the way the shell
 * would, never with regexes on the raw text.
 */
public final class ShellScript {

    /**
     * One simple command: its words in order, assignments ({@code FOO=1}) left out. A word that holds an
     * expansion ({@code $X}, {@code $(..)}) is kept as its source text and flagged in {@link #expanded}.
     * {@link #writes} are the targets of its redirections that open a file for writing ({@code >}, {@code >>},
     * {@code &>}, {@code <>} …; not fd duplications such as {@code 2>&1}), flagged the same way in
     * {@link #writesExpanded}.
     */
    public record Command(
            List<String> words, List<Boolean> expanded, List<String> writes, List<Boolean> writesExpanded) {
        public Command {
            words = List.copyOf(words);
            expanded = List.copyOf(expanded);
            writes = List.copyOf(writes);
            writesExpanded = List.copyOf(writesExpanded);
        }

        /** A command that writes no file through a redirection. */
        public Command(List<String> words, List<Boolean> expanded) {
            this(words, expanded, List.of(), List.of());
        }
    }

    private ShellScript() {}

    /**
     * Every simple command {@code script} would run, in source order, including those inside command and
     * process substitutions (the parser lists those too), and redirections that write a file even when they carry
     * no command ({@code > out.txt}).
     *
     * @throws IllegalArgumentException when the text is not a script the parser understands
     */
    public static List<Command> commands(String script) {
        List<SimpleCommand> parsed;
        try {
            parsed = ShellParser.parse(script);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<Command> out = new ArrayList<>(parsed.size());
        for (SimpleCommand c : parsed) {
            add(c, out);
        }
        return out;
    }

    private static void add(SimpleCommand command, List<Command> out) {
        List<String> words = new ArrayList<>(command.words.size());
        List<Boolean> expanded = new ArrayList<>(command.words.size());
        boolean leading = true;
        for (Word w : command.words) {
            if (leading && w.isAssignment()) {
                continue;
            }
            leading = false;
            words.add(w.text());
            expanded.add(w.expansion());
        }
        List<String> writes = new ArrayList<>(0);
        List<Boolean> writesExpanded = new ArrayList<>(0);
        for (Redirect r : command.redirects) {
            if (r.writesFile()) {
                writes.add(r.target().text());
                writesExpanded.add(r.target().expansion());
            }
        }
        // a redirection alone (`> file`, `( … ) > file`) still writes its target
        if (!words.isEmpty() || !writes.isEmpty()) {
            out.add(new Command(words, expanded, writes, writesExpanded));
        }
    }
}
