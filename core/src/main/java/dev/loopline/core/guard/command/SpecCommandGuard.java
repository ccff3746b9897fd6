package dev.loopline.core.guard.command;

import dev.loopline.schemas.spec.LoopSpec;

/**
 * The command guard a loop runs under: the built-in rules plus the loop's own {@code commands} rules from
 * its spec. Every service that runs a command on behalf of a loop (the guard's test command, the agent's
 * shell maker) and the CLI go through here, so a loop's rules mean the same everywhere.
 */
public final class SpecCommandGuard {

    private SpecCommandGuard() {}

    /** The guard for {@code spec}; the built-in guard when the spec has no command rules. */
    public static CommandGuard of(LoopSpec spec) {
        CommandPolicy policy = policyOf(spec);
        return policy.equals(CommandPolicy.empty())
                ? CommandGuard.defaults()
                : CommandGuard.defaults().withPolicy(policy);
    }

    /** Checks {@code command} as the loop's guard would. */
    public static Decision check(LoopSpec spec, String command) {
        return of(spec).check(command);
    }

    /**
     * The spec's command rules as a {@link CommandPolicy}.
     *
     * @throws IllegalArgumentException when a rule is not acceptable (for example an exception to {@code
     *     unparseable}); callers fail closed
     */
    public static CommandPolicy policyOf(LoopSpec spec) {
        LoopSpec.Commands commands = spec == null ? null : spec.commands();
        if (commands == null) {
            return CommandPolicy.empty();
        }
        CommandPolicy.Builder builder = CommandPolicy.builder();
        if (commands.deny() != null) {
            commands.deny().forEach(d -> builder.deny(d.id(), d.reason(), bareName(d.command()), d.args()));
        }
        if (commands.allow() != null) {
            commands.allow().forEach(a -> builder.allow(a.rule(), a.command()));
        }
        return builder.build();
    }

    /** The guard matches commands by their bare name ({@code /usr/bin/npm} and {@code ./npm} run as {@code npm}). */
    private static String bareName(String command) {
        String stripped = command.strip();
        int slash = stripped.lastIndexOf('/');
        return slash >= 0 && slash < stripped.length() - 1 ? stripped.substring(slash + 1) : stripped;
    }
}
