package dev.loopline.makers.claude;

import dev.loopline.core.guard.command.CommandPolicy;
import dev.loopline.core.guard.command.NetworkCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * The command rules added to a loop's own once untrusted content (a web or MCP tool's result) has entered the
 * session: commands that reach the network, install or fetch packages, or run inline interpreter code (which can
 * do either) are denied as {@value #RULE}. Deny rules go through core's command guard, so they also catch the
 * command behind {@code sudo}, {@code env}, {@code xargs}, {@code sh -c} and the like. A spec can still lift the
 * rule for a command it trusts with an allow exception on {@value #RULE}.
 *
 * <p>A name list, not a sandbox: a program the maker wrote itself, or a build tool, can still reach the network.
 */
final class TaintedPolicy {

    static final String RULE = "tainted-network";
    static final String REASON =
            "network access is refused once untrusted content (a web or MCP tool's result) has entered the session";

    /**
     * Clients that talk to the network whatever their arguments: core's one list, which the command guard also treats
     * as the sinks secrets must not reach; sorted so that the rules come in a stable order.
     */
    private static final List<String> NETWORK_CLIENTS =
            NetworkCommands.CLIENTS.stream().sorted().toList();

    /** Tools that reach the network only in some of their verbs. */
    private static final List<String[]> NETWORK_VERBS = List.of(
            new String[] {
                "git",
                "push*",
                "fetch*",
                "pull*",
                "clone*",
                "ls-remote*",
                "submodule*",
                "remote*",
                "send-email*",
                "archive --remote*"
            },
            new String[] {"npm", "install*", "i", "i *", "add*", "ci*", "publish*", "exec*", "update*", "fetch*"},
            new String[] {"pnpm", "install*", "i", "i *", "add*", "dlx*", "publish*", "update*", "fetch*"},
            new String[] {"yarn", "install*", "add*", "dlx*", "publish*", "up*", "upgrade*"},
            new String[] {"bun", "install*", "i", "i *", "add*", "x *", "publish*"},
            new String[] {"pip", "install*", "download*"},
            new String[] {"pip3", "install*", "download*"},
            new String[] {"uv", "pip install*", "add*", "sync*", "tool*", "run --with*"},
            new String[] {"poetry", "add*", "install*", "update*", "publish*"},
            new String[] {"gem", "install*", "fetch*", "push*"},
            new String[] {"cargo", "install*", "add*", "fetch*", "publish*"},
            new String[] {"go", "get*", "install*", "mod download*"},
            new String[] {"composer", "require*", "install*", "update*"},
            new String[] {"bundle", "install*", "add*", "update*"});

    /** Inline code of an interpreter can open sockets; a script file in the worktree is left to the guard. */
    private static final List<String[]> INLINE_CODE = List.of(
            new String[] {"python", "*-c *"},
            new String[] {"python2", "*-c *"},
            new String[] {"python3", "*-c *"},
            new String[] {"node", "*-e *", "*--eval*", "*-p *", "*--print*"},
            new String[] {"nodejs", "*-e *", "*--eval*", "*-p *", "*--print*"},
            new String[] {"deno", "eval*"},
            new String[] {"perl", "*-e *", "*-E *"},
            new String[] {"ruby", "*-e *"},
            new String[] {"php", "*-r *"});

    private TaintedPolicy() {}

    /** The loop's own rules plus the tainted-session denies. */
    static CommandPolicy on(CommandPolicy loop) {
        List<CommandPolicy.DenyRule> denies = new ArrayList<>(loop.denies());
        for (String client : NETWORK_CLIENTS) {
            denies.add(new CommandPolicy.DenyRule(RULE, REASON, client, null));
        }
        for (String[] verbs : NETWORK_VERBS) {
            add(denies, verbs, REASON);
        }
        for (String[] code : INLINE_CODE) {
            add(denies, code, REASON + " (inline interpreter code can open connections)");
        }
        return new CommandPolicy(denies, loop.allows());
    }

    private static void add(List<CommandPolicy.DenyRule> denies, String[] rule, String reason) {
        for (int i = 1; i < rule.length; i++) {
            denies.add(new CommandPolicy.DenyRule(RULE, reason, rule[0], rule[i]));
        }
    }
}
