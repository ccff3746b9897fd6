package dev.loopline.core.guard.command;

import java.util.Objects;

/**
 * Decides whether a shell command proposed by an agent may run. The command is parsed, not pattern-matched:
 * quoted text is data, and the commands reached through pipes, lists, substitutions, {@code sudo}, {@code env},
 * {@code xargs}, {@code sh -c}, {@code find -exec} and git aliases are all checked. Input that cannot be parsed
 * is blocked.
 *
 * <p>Immutable and thread-safe.
 */
public final class CommandGuard {
    private static final CommandGuard DEFAULTS = new CommandGuard(CommandPolicy.empty());

    private final CommandPolicy policy;
    private final CommandAnalyzer analyzer;

    private CommandGuard(CommandPolicy policy) {
        this.policy = policy;
        this.analyzer = new CommandAnalyzer(policy);
    }

    /** The built-in rules with no loop-specific additions. */
    public static CommandGuard defaults() {
        return DEFAULTS;
    }

    /** A guard with the built-in rules plus the loop's own deny rules and allow exceptions. */
    public CommandGuard withPolicy(CommandPolicy policy) {
        return new CommandGuard(Objects.requireNonNull(policy, "policy"));
    }

    public CommandPolicy policy() {
        return policy;
    }

    public Decision check(String command) {
        if (command == null) {
            return CommandRule.UNPARSEABLE.block("no command", "");
        }
        Decision.Block block = analyzer.checkScript(command, 0);
        return block == null ? Decision.allow() : block;
    }
}
