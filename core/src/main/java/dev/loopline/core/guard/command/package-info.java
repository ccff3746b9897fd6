/**
 * The command guard: decides whether a shell command proposed by an agent may run.
 *
 * <p>{@link dev.loopline.core.guard.command.CommandGuard} parses the command with a hand-written POSIX-shell
 * lexer and parser (quotes, escapes, lists, pipelines, subshells, brace groups, control structures, functions,
 * command and process substitution, redirections, heredocs) and applies the rules of
 * {@link dev.loopline.core.guard.command.CommandRule} to every command that would execute, after unwrapping
 * {@code sudo}, {@code env}, {@code nice}, {@code timeout}, {@code xargs}, {@code sh -c}, {@code eval},
 * {@code find -exec}, {@code ssh} and git global options, aliases and command-running config keys. Quoted text,
 * comments and heredoc bodies are data, unless they are fed to a shell. Input it cannot parse is blocked as
 * {@code unparseable}; there is no fallback to allow.
 *
 * <p>Before the rules run, variables the command assigns to itself are resolved ({@link
 * dev.loopline.core.guard.command.Variables}); a command name that stays an expansion is blocked as {@code
 * dynamic-command}. Deletion is judged against the worktree boundary (absolute paths, {@code ~}, {@code $HOME},
 * {@code ..} and unresolved expansions are outside), code that is downloaded or decoded at run time is never
 * run, interpreter one-liners are looked into, secrets may not reach a network sink, and credential stores
 * outside the worktree may not be read. docs/adr/0013-command-guard-worktree-boundary.md records the decisions.
 *
 * <p>Loops add their own deny rules and allow exceptions with {@link dev.loopline.core.guard.command.CommandPolicy}.
 */
package dev.loopline.core.guard.command;
