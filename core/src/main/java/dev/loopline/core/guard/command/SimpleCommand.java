package dev.loopline.core.guard.command;

import java.util.ArrayList;
import java.util.List;

/**
 * One simple command as the shell would execute it: its words (assignments included) and redirections.
 * Subshells and brace groups that carry redirections appear as a command with no words.
 */
final class SimpleCommand {
    final List<Word> words = new ArrayList<>(6);
    /** Empty for most commands: the shared immutable empty list until {@link #addRedirect} adds the first. */
    List<Redirect> redirects = List.of();
    /** The pipeline this command belongs to; a lone command is a pipeline of one. */
    List<SimpleCommand> pipeline;
    /** The function whose body contains this command, or null. */
    String enclosingFunction;

    boolean background;

    /** For the first command of a compound pipeline stage ({@code { a; b; } | sh}): all commands inside it. */
    List<SimpleCommand> group;

    /** For a copy with variables resolved: the command as parsed (the one its pipeline list holds); else null. */
    SimpleCommand source;

    /** {@code Wrappers.unwrap(words, 0)}, or -1 until first asked. */
    private int unwrapped = -1;

    /**
     * Index of the command that finally runs after assignments and wrappers ({@link Wrappers#unwrap}); cached, as
     * several rules ask it of the same command and its words no longer change once the parser or
     * {@link Variables#resolve} has built it.
     */
    int unwrapped() {
        int k = unwrapped;
        if (k < 0) {
            k = Wrappers.unwrap(words, 0);
            unwrapped = k;
        }
        return k;
    }

    void addRedirect(Redirect r) {
        if (redirects.isEmpty()) {
            redirects = new ArrayList<>(2);
        }
        redirects.add(r);
    }

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
