package dev.loopline.core.guard.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Per-loop additions to the built-in rules, taken from the loop spec.
 *
 * <p>A {@link DenyRule} blocks a command by name (matched on the effective command, after {@code sudo},
 * {@code env}, {@code sh -c} and the like are unwrapped), optionally only when its arguments match a glob. An
 * {@link AllowException} lifts one rule id for commands matching a glob; in globs {@code *} never crosses a
 * space, so an exception cannot be stretched over extra arguments.
 */
public record CommandPolicy(List<DenyRule> denies, List<AllowException> allows) {

    public CommandPolicy {
        denies = List.copyOf(denies);
        allows = List.copyOf(allows);
    }

    public static CommandPolicy empty() {
        return new CommandPolicy(List.of(), List.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Blocks {@code command} (a bare name such as {@code terraform}) when its arguments, joined by single
     * spaces, match {@code argumentsGlob} ({@code null} matches any arguments, including none; {@code *}
     * crosses spaces here).
     */
    public record DenyRule(String id, String reason, String command, String argumentsGlob) {
        public DenyRule {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(command, "command");
            if (id.isBlank() || command.isBlank()) {
                throw new IllegalArgumentException("deny rule needs an id and a command name");
            }
        }

        boolean matches(String name, String joinedArguments) {
            return command.equals(name)
                    && (argumentsGlob == null || Glob.matches(argumentsGlob, joinedArguments, true));
        }
    }

    /** Lets commands matching {@code commandGlob} (the whole normalised command) through rule {@code ruleId}. */
    public record AllowException(String ruleId, String commandGlob) {
        public AllowException {
            Objects.requireNonNull(ruleId, "ruleId");
            Objects.requireNonNull(commandGlob, "commandGlob");
            if (CommandRule.UNPARSEABLE.id().equals(ruleId)) {
                throw new IllegalArgumentException("unparseable input can never be allowed");
            }
        }

        boolean covers(Decision.Block block) {
            return ruleId.equals(block.ruleId()) && Glob.matches(commandGlob, block.offendingCommand());
        }
    }

    boolean excepts(Decision.Block block) {
        for (AllowException a : allows) {
            if (a.covers(block)) {
                return true;
            }
        }
        return false;
    }

    public static final class Builder {
        private final List<DenyRule> denies = new ArrayList<>();
        private final List<AllowException> allows = new ArrayList<>();

        private Builder() {}

        public Builder deny(String id, String reason, String command) {
            denies.add(new DenyRule(id, reason, command, null));
            return this;
        }

        public Builder deny(String id, String reason, String command, String argumentsGlob) {
            denies.add(new DenyRule(id, reason, command, argumentsGlob));
            return this;
        }

        public Builder allow(String ruleId, String commandGlob) {
            allows.add(new AllowException(ruleId, commandGlob));
            return this;
        }

        public CommandPolicy build() {
            return new CommandPolicy(denies, allows);
        }
    }
}
