package dev.loopline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The scope a kill switch or a budget cap applies to, as given on the command line: {@code global}, {@code team
 * <id>} or {@code loop <id>}.
 */
record Scope(Kind kind, String id) {

    /** Lower case: these are the words typed on the command line and shown in its help. */
    enum Kind {
        global,
        team,
        loop
    }

    /** Checks the arguments: an id for a team or loop, none for global; anything else is a usage error (64). */
    static Scope of(CommandSpec spec, Kind kind, String id) {
        if (kind == Kind.global && id != null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "the global scope takes no id (got '" + id + "')");
        }
        if (kind != Kind.global && (id == null || id.isBlank())) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "a " + kind + " scope needs an id: " + kind + " <id>");
        }
        return new Scope(kind, id);
    }

    /** How output names it: {@code global}, {@code team platform}, {@code loop docs}. */
    String label() {
        return kind == Kind.global ? "global" : kind + " " + id;
    }

    /** What a kill switch of this scope stops. */
    String reach() {
        return switch (kind) {
            case global -> "every loop";
            case team -> "every loop of team " + id;
            case loop -> "loop " + id;
        };
    }

    /** A scope as the services send it ({@code kind}/{@code scope} and {@code id}): {@code global}, {@code team:x}. */
    static String label(String kind, String id) {
        return "global".equals(kind) || id == null ? kind : kind + ":" + id;
    }
}
