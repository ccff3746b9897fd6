package dev.loopline.core.guard.command;

import java.util.ArrayList;
import java.util.List;

/**
 * One simple command as the shell would execute it: its words (assignments included) and redirections.
 * Subshells and brace groups that carry redirections appear as a command with no words.
 */
final class SimpleCommand {
    final List<Word> words = new ArrayList<>(6);
    /** Empty for most commands: no array until the first redirection. */
    final List<Redirect> redirects = new ArrayList<>(0);
    /** The pipeline this command belongs to; a lone command is a pipeline of one. */
    List<SimpleCommand> pipeline;
    /** The function whose body contains this command, or null. */
    String enclosingFunction;

    boolean background;

    /** For the first command of a compound pipeline stage ({@code { a; b; } | sh}): all commands inside it. */
    List<SimpleCommand> group;

    /** For a copy with variables resolved: the command as parsed (the one its pipeline list holds); else null. */
    SimpleCommand source;

    SimpleCommand parsed() {
        return source != null ? source : this;
    }

    boolean inMultiPipeline() {
        return pipeline != null && pipeline.size() > 1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Word w : words) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(w.text());
        }
        return sb.toString();
    }
}
