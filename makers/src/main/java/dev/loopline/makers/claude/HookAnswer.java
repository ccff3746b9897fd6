package dev.loopline.makers.claude;

/** What the hook tells the CLI: let the call be, or stop it (PreToolUse) / tell Claude something (PostToolUse). */
public sealed interface HookAnswer permits HookAnswer.Allow, HookAnswer.Block, HookAnswer.Notice {

    Allow ALLOW = new Allow();

    /** The call may go ahead (PreToolUse) or passes without comment (PostToolUse). */
    record Allow() implements HookAnswer {}

    /** The call must not run; {@link #message()} is what Claude reads. */
    record Block(String ruleId, String reason, String tool) implements HookAnswer {
        public String message() {
            return "Loopline blocked this " + tool + " call (rule " + ruleId + "): " + reason;
        }
    }

    /** The call ran (PostToolUse); Claude must read {@link #message()} before it goes on. */
    record Notice(String message) implements HookAnswer {}
}
