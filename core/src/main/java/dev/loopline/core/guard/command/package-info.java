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
 * <p>Loops add their own deny rules and allow exceptions with {@link dev.loopline.core.guard.command.CommandPolicy}.
 */
package dev.loopline.core.guard.command;
