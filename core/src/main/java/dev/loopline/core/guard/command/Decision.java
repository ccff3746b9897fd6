package dev.loopline.core.guard.command;

import java.util.Objects;

/** The verdict of the command guard: run the command, or refuse it with the rule that fired. */
public sealed interface Decision permits Decision.Allow, Decision.Block {

    /** The single allow verdict. */
    Allow ALLOW = new Allow();

    static Decision allow() {
        return ALLOW;
    }

    default boolean allowed() {
        return this instanceof Allow;
    }

    /** The command may run. */
    record Allow() implements Decision {}

    /**
     * The command must not run.
     *
     * @param ruleId stable identifier of the rule that fired (for example {@code git-force-push})
     * @param reason human explanation
     * @param offendingCommand the normalised command (or the raw input when it could not be parsed)
     */
    record Block(String ruleId, String reason, String offendingCommand) implements Decision {
        public Block {
            Objects.requireNonNull(ruleId, "ruleId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(offendingCommand, "offendingCommand");
        }
    }
}
