package dev.loopline.core.guard.command;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Applies the rules to parsed commands. Wrappers ({@code sudo}, {@code env}, {@code xargs}, {@code sh -c},
 * {@code find -exec}, {@code eval}, git aliases…) are unwrapped so the rules see the command that really runs.
 * Stateless apart from the policy; every method is safe to call from many threads.
 */
final class CommandAnalyzer {
    private static final int NOT_A_WRAPPER = -1;
    private static final int NO_COMMAND = -2;

    private static final Set<String> SHELLS =
            Set.of("sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "yash", "rbash");
    private static final Set<String> INTERPRETERS = Set.of(
            "python", "python2", "python3", "perl", "ruby", "node", "nodejs", "php", "deno", "bun", "pwsh", "lua");
    private static final Set<String> DOWNLOADERS =
            Set.of("curl", "wget", "fetch", "aria2c", "http", "https", "xh", "lwp-request", "GET", "ftp", "tftp");
    private static final Set<String> DISK_TOOLS = Set.of(
            "mke2fs",
            "mkswap",
            "wipefs",
            "shred",
            "fdisk",
            "sfdisk",
            "cfdisk",
            "parted",
            "gdisk",
            "sgdisk",
            "blkdiscard");
    private static final Set<String> PROTECTED_BRANCHES = Set.of("main", "master", "trunk", "develop", "development");
    private static final Set<String> WIDE_MODES =
            Set.of("777", "0777", "1777", "2777", "4777", "a+rwx", "ugo+rwx", "a=rwx", "ugo=rwx", "o+w", "a+w");

    private static final Set<String> NO_LONG_OPTIONS = Set.of();
    private static final Set<String> COMMAND_CONFIG_KEYS = Set.of(
            "core.sshcommand",
            "core.pager",
            "core.editor",
            "core.fsmonitor",
            "sequence.editor",
            "diff.external",
            "gpg.program",
            "pager.log",
            "pager.diff",
            "pager.show");
    private static final String SSH_ARG_LETTERS = "BbcDEeFIiJLlmOoPpQRSWw";
    private static final Set<String> WATCH_LONG_OPTIONS = Set.of("--interval");
    private static final Set<String> SUDO_LONG_OPTIONS = Set.of(
            "--user",
            "--group",
            "--prompt",
            "--close-from",
            "--chdir",
            "--role",
            "--type",
            "--other-user",
            "--command-timeout",
            "--host",
            "--chroot");
    private static final Set<String> ENV_LONG_OPTIONS = Set.of("--unset", "--chdir", "--split-string");
    private static final Set<String> NICE_LONG_OPTIONS = Set.of("--adjustment");
    private static final Set<String> IONICE_LONG_OPTIONS = Set.of("--class", "--classdata", "--pid");
    private static final Set<String> STDBUF_LONG_OPTIONS = Set.of("--input", "--output", "--error");
    private static final Set<String> TIME_LONG_OPTIONS = Set.of("--format", "--output");
    private static final Set<String> TIMEOUT_LONG_OPTIONS = Set.of("--signal", "--kill-after");
    private static final Set<String> XARGS_LONG_OPTIONS = Set.of(
            "--arg-file",
            "--delimiter",
            "--max-args",
            "--max-procs",
            "--max-lines",
            "--eof",
            "--process-slot-var",
            "--max-chars");

    private final CommandPolicy policy;

    CommandAnalyzer(CommandPolicy policy) {
        this.policy = policy;
    }

    /** Returns the first block that the policy does not except, or null when the script may run. */
    Decision.Block checkScript(String script, int depth) {
        List<SimpleCommand> commands;
        try {
            commands = ShellParser.parse(script, depth);
        } catch (ParseException e) {
            return CommandRule.UNPARSEABLE.block(e.getMessage(), abbreviate(script));
        } catch (StackOverflowError e) {
            return CommandRule.UNPARSEABLE.block("nesting too deep", abbreviate(script));
        }
        return checkCommands(commands, depth);
    }

    private Decision.Block checkCommands(List<SimpleCommand> commands, int depth) {
        Map<List<SimpleCommand>, Boolean> seenPipelines = null;
        for (SimpleCommand c : commands) {
            Decision.Block b = checkRedirects(c);
            if (b == null) {
                b = checkInvocation(c.words, 0, c, depth);
            }
            if (b == null) {
                b = checkForkBomb(c);
            }
            if (b == null && c.inMultiPipeline()) {
                if (seenPipelines == null) {
                    seenPipelines = new IdentityHashMap<>();
                }
                if (seenPipelines.put(c.pipeline, Boolean.TRUE) == null) {
                    b = checkPipeline(c.pipeline, depth);
                }
            }
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    private Decision.Block report(Decision.Block b) {
        return b == null || policy.excepts(b) ? null : b;
    }

    // ---------------------------------------------------------------- structure-level rules

    private Decision.Block checkRedirects(SimpleCommand c) {
        for (Redirect r : c.redirects) {
            if (!r.writesFile()) {
                continue;
            }
            String target = r.target().text();
            if (Paths.isBlockDevice(target)) {
                Decision.Block b = report(CommandRule.DISK_DESTROY.block("redirect into " + target, describe(c, r)));
                if (b != null) {
                    return b;
                }
            }
            if (Paths.isSecret(target)) {
                Decision.Block b = report(CommandRule.SECRET_WRITE.block("redirect into " + target, describe(c, r)));
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    private static String describe(SimpleCommand c, Redirect r) {
        String words = c.toString();
        return (words.isEmpty() ? "" : words + " ") + r.op() + " " + r.target().text();
    }

    private Decision.Block checkForkBomb(SimpleCommand c) {
        if (c.enclosingFunction == null || c.words.isEmpty()) {
            return null;
        }
        if (c.words.get(0).text().equals(c.enclosingFunction) && (c.inMultiPipeline() || c.background)) {
            return report(
                    CommandRule.FORK_BOMB.block(c.enclosingFunction + "() calls itself in a pipeline", c.toString()));
        }
        return null;
    }

    private Decision.Block checkPipeline(List<SimpleCommand> pipeline, int depth) {
        boolean downloaded = false;
        String generated = null;
        for (SimpleCommand stage : pipeline) {
            int i = unwrap(stage.words, 0);
            if (i < 0 || i >= stage.words.size()) {
                generated = null;
                continue;
            }
            String name = commandName(stage.words.get(i));
            if (DOWNLOADERS.contains(name)) {
                downloaded = true;
            } else if (readsScriptFromStdin(name, stage.words, i)) {
                if (downloaded) {
                    return report(
                            CommandRule.REMOTE_CODE_EXEC.block("download piped into " + name, joinPipeline(pipeline)));
                }
                if (SHELLS.contains(name) && generated != null) {
                    Decision.Block b = checkNested(generated, depth);
                    if (b != null) {
                        return b;
                    }
                }
            }
            generated = generatedScript(name, stage, i);
        }
        return null;
    }

    /** Text a stage prints that the next stage may run: {@code echo ... | sh}, {@code cat <<EOF | bash}. */
    private static String generatedScript(String name, SimpleCommand stage, int i) {
        List<Word> w = stage.words;
        switch (name) {
            case "echo" -> {
                int j = i + 1;
                while (j < w.size()
                        && w.get(j).text().startsWith("-")
                        && w.get(j).text().length() > 1) {
                    j++;
                }
                return join(w, j);
            }
            case "printf" -> {
                return i + 1 < w.size() ? join(w, i + 1) : null;
            }
            case "cat" -> {
                for (Redirect r : stage.redirects) {
                    if (r.body() != null) {
                        return r.body();
                    }
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private static String joinPipeline(List<SimpleCommand> pipeline) {
        StringBuilder sb = new StringBuilder();
        for (SimpleCommand c : pipeline) {
            if (sb.length() > 0) {
                sb.append(" | ");
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static boolean readsScriptFromStdin(String name, List<Word> w, int i) {
        boolean shell = SHELLS.contains(name);
        if (!shell && !INTERPRETERS.contains(name)) {
            return false;
        }
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.equals("-")) {
                return true;
            }
            if (a.equals("--")) {
                return j + 1 >= w.size() || w.get(j + 1).text().equals("-");
            }
            if (a.startsWith("-") && a.length() > 1) {
                if (shell && !a.startsWith("--")) {
                    if (a.indexOf('c') > 0) {
                        return false;
                    }
                    if (a.indexOf('s') > 0) {
                        return true;
                    }
                    if (a.equals("-o") || a.equals("-O")) {
                        j++;
                    }
                } else if (!shell
                        && (a.equals("-c")
                                || a.equals("-m")
                                || a.equals("-e")
                                || a.equals("-E")
                                || a.equals("-r")
                                || a.equals("-p")
                                || a.equals("--eval")
                                || a.equals("-Command"))) {
                    return false;
                }
                continue;
            }
            return false; // a script file argument
        }
        return true;
    }

    // ---------------------------------------------------------------- invocation-level rules

    static String commandName(Word w) {
        String t = w.text();
        int slash = t.lastIndexOf('/');
        return slash >= 0 && slash < t.length() - 1 ? t.substring(slash + 1) : t;
    }

    private static int skipAssignments(List<Word> w, int i) {
        while (i < w.size() && w.get(i).isAssignment()) {
            i++;
        }
        return i;
    }

    /** Index of the command that finally runs after assignments and simple wrappers; size() when none. */
    static int unwrap(List<Word> w, int i) {
        while (true) {
            i = skipAssignments(w, i);
            if (i >= w.size()) {
                return i;
            }
            int next = wrapped(commandName(w.get(i)), w, i);
            if (next == NOT_A_WRAPPER) {
                return i;
            }
            if (next == NO_COMMAND) {
                return w.size();
            }
            i = next;
        }
    }

    private Decision.Block checkInvocation(List<Word> w, int i, SimpleCommand origin, int depth) {
        String name;
        while (true) {
            i = skipAssignments(w, i);
            if (i >= w.size()) {
                return null;
            }
            name = commandName(w.get(i));
            Decision.Block denied = checkPolicyDeny(name, w, i);
            if (denied != null) {
                return denied;
            }
            if (name.equals("env")) {
                String split = envSplitString(w, i);
                if (split != null) {
                    return checkNested(split, depth);
                }
            }
            int next = wrapped(name, w, i);
            if (next == NOT_A_WRAPPER) {
                break;
            }
            if (next == NO_COMMAND) {
                return null;
            }
            i = next;
        }
        if (name.startsWith("mkfs")) {
            return report(CommandRule.DISK_DESTROY.block(join(w, i)));
        }
        return switch (name) {
            case "git" -> checkGit(w, i + 1, depth);
            case "rm" -> checkRm(w, i);
            case "find" -> checkFind(w, i, origin, depth);
            case "chmod", "chown", "chgrp" -> checkPermissions(name, w, i);
            case "dd" -> checkDd(w, i);
            case "tee" -> checkTee(w, i);
            case "cp", "mv", "install", "ln", "rsync" -> checkCopyTarget(w, i);
            case "eval" -> checkEval(w, i, depth);
            case "source", "." -> checkSourced(w, i, origin);
            case "watch" -> checkWatch(w, i, depth);
            case "ssh" -> checkSsh(w, i, depth);
            case "trap" -> {
                // `trap 'cmd' EXIT` runs cmd later in the same shell
                int j = i + 1 < w.size() && w.get(i + 1).text().equals("--") ? i + 2 : i + 1;
                boolean listing = j >= w.size() || w.get(j).text().startsWith("-");
                yield listing ? null : checkNested(w.get(j).text(), depth);
            }
            default -> {
                if (DISK_TOOLS.contains(name)) {
                    yield checkDiskTool(name, w, i);
                }
                if (SHELLS.contains(name) || INTERPRETERS.contains(name)) {
                    yield checkShell(name, w, i, origin, depth);
                }
                yield null;
            }
        };
    }

    private Decision.Block checkPolicyDeny(String name, List<Word> w, int i) {
        List<CommandPolicy.DenyRule> denies = policy.denies();
        if (denies.isEmpty()) {
            return null;
        }
        String args = null;
        for (CommandPolicy.DenyRule d : denies) {
            if (!d.command().equals(name)) {
                continue;
            }
            if (args == null) {
                args = join(w, i + 1);
            }
            if (d.matches(name, args)) {
                Decision.Block b = report(new Decision.Block(d.id(), d.reason(), join(w, i)));
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    private Decision.Block checkNested(String script, int depth) {
        return checkScript(script, depth + 1);
    }

    // ---------------------------------------------------------------- wrappers

    /**
     * If {@code name} runs another command, the index of that command's first word, {@link #NO_COMMAND} when the
     * wrapper runs nothing here, or {@link #NOT_A_WRAPPER}.
     */
    private static int wrapped(String name, List<Word> w, int i) {
        return switch (name) {
            case "command" -> {
                for (int j = i + 1; j < w.size(); j++) {
                    String a = w.get(j).text();
                    if (a.equals("--")) {
                        yield j + 1;
                    }
                    if (!a.startsWith("-") || a.length() == 1) {
                        yield j;
                    }
                    if (a.indexOf('v') > 0 || a.indexOf('V') > 0) {
                        yield NO_COMMAND; // `command -v rm` only looks the name up
                    }
                }
                yield NO_COMMAND;
            }
            case "builtin", "nohup", "unbuffer", "busybox", "catchsegv" -> skipOptions(w, i + 1, "", NO_LONG_OPTIONS);
            case "exec" -> skipOptions(w, i + 1, "a", NO_LONG_OPTIONS);
            case "sudo" -> skipOptions(w, i + 1, "ugpChDrtUTR", SUDO_LONG_OPTIONS);
            case "doas" -> skipOptions(w, i + 1, "uC", NO_LONG_OPTIONS);
            case "env" -> skipOptions(w, i + 1, "uCS", ENV_LONG_OPTIONS);
            case "nice" -> skipOptions(w, i + 1, "n", NICE_LONG_OPTIONS);
            case "ionice" -> skipOptions(w, i + 1, "cnp", IONICE_LONG_OPTIONS);
            case "setsid", "chrt", "taskset" -> skipOptions(w, i + 1, "", NO_LONG_OPTIONS);
            case "stdbuf" -> skipOptions(w, i + 1, "ioe", STDBUF_LONG_OPTIONS);
            case "time" -> skipOptions(w, i + 1, "fo", TIME_LONG_OPTIONS);
            case "timeout" -> {
                int j = skipOptions(w, i + 1, "sk", TIMEOUT_LONG_OPTIONS);
                yield j < 0 || j >= w.size() ? NO_COMMAND : j + 1; // skip the duration
            }
            case "xargs" -> {
                int j = skipOptions(w, i + 1, "ILnPdEsa", XARGS_LONG_OPTIONS);
                yield j;
            }
            default -> NOT_A_WRAPPER;
        };
    }

    /**
     * Skips the options of a wrapper and returns the index of the wrapped command (or {@link #NO_COMMAND}).
     * {@code argLetters} are short options that take a value; {@code longWithArg} long ones that take the next
     * word unless written {@code --opt=value}.
     */
    private static int skipOptions(List<Word> w, int j, String argLetters, Set<String> longWithArg) {
        while (j < w.size()) {
            String a = w.get(j).text();
            if (a.equals("--")) {
                j++;
                break;
            }
            if (a.length() < 2 || a.charAt(0) != '-') {
                break;
            }
            if (a.startsWith("--")) {
                j += (a.indexOf('=') < 0 && longWithArg.contains(a)) ? 2 : 1;
                continue;
            }
            boolean takesNext = false;
            for (int k = 1; k < a.length(); k++) {
                if (argLetters.indexOf(a.charAt(k)) >= 0) {
                    takesNext = k == a.length() - 1; // `-u root` vs `-uroot`
                    break;
                }
            }
            j += takesNext ? 2 : 1;
        }
        return j < w.size() ? j : NO_COMMAND;
    }

    /** The string of {@code env -S '...'} / {@code --split-string=...}, which env runs as a command line. */
    private static String envSplitString(List<Word> w, int i) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (!a.startsWith("-") || a.equals("--")) {
                return null;
            }
            if (a.startsWith("--split-string=")) {
                return a.substring("--split-string=".length()) + " " + join(w, j + 1);
            }
            if (a.equals("-S") || a.equals("--split-string")) {
                return j + 1 < w.size() ? join(w, j + 1) : null;
            }
            if (a.startsWith("-S")) {
                return a.substring(2) + " " + join(w, j + 1);
            }
            if (a.equals("-u") || a.equals("-C") || a.equals("--unset") || a.equals("--chdir")) {
                j++;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- shells and interpreters

    private Decision.Block checkShell(String name, List<Word> w, int i, SimpleCommand origin, int depth) {
        boolean shell = SHELLS.contains(name);
        boolean inline = false;
        for (int j = i + 1; j < w.size(); j++) {
            Word word = w.get(j);
            String a = word.text();
            if (hasDownloader(word.substituted())) {
                return report(CommandRule.REMOTE_CODE_EXEC.block("downloaded script given to " + name, join(w, i)));
            }
            if (a.startsWith("-") && a.length() > 1 && !a.startsWith("--") && !inline) {
                if (shell && a.indexOf('c') > 0) {
                    inline = true;
                } else if (!shell && (a.equals("-c") || a.equals("-e") || a.equals("-E"))) {
                    inline = true;
                } else if (shell && (a.equals("-o") || a.equals("-O"))) {
                    j++;
                }
                continue;
            }
            if (a.startsWith("--") && !inline) {
                continue;
            }
            if (inline && shell) {
                // the first operand after -c is the script; the rest become $0, $1…
                return checkNested(a, depth);
            }
            if (!inline) {
                break; // a script file: its contents are not visible here
            }
        }
        for (Redirect r : origin.redirects) {
            if (r.op().equals("<") && hasDownloader(r.target().substituted())) {
                return report(CommandRule.REMOTE_CODE_EXEC.block("downloaded script fed to " + name, join(w, i)));
            }
            if (shell && r.body() != null && readsScriptFromStdin(name, w, i)) {
                // `bash <<EOF ... EOF` and `sh <<< "..."` run their input
                Decision.Block b = checkNested(r.body(), depth);
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    private Decision.Block checkSourced(List<Word> w, int i, SimpleCommand origin) {
        for (int j = i + 1; j < w.size(); j++) {
            if (hasDownloader(w.get(j).substituted())) {
                return report(CommandRule.REMOTE_CODE_EXEC.block("downloaded script sourced", join(w, i)));
            }
        }
        return null;
    }

    private Decision.Block checkEval(List<Word> w, int i, int depth) {
        for (int j = i + 1; j < w.size(); j++) {
            if (hasDownloader(w.get(j).substituted())) {
                return report(CommandRule.REMOTE_CODE_EXEC.block("downloaded script evaluated", join(w, i)));
            }
        }
        return i + 1 < w.size() ? checkNested(join(w, i + 1), depth) : null;
    }

    private Decision.Block checkWatch(List<Word> w, int i, int depth) {
        int j = skipOptions(w, i + 1, "nq", WATCH_LONG_OPTIONS);
        return j < 0 ? null : checkNested(join(w, j), depth);
    }

    /** {@code ssh host 'cmd'} runs cmd in a shell on the remote host: the same rules apply there. */
    private Decision.Block checkSsh(List<Word> w, int i, int depth) {
        int host = skipOptions(w, i + 1, SSH_ARG_LETTERS, NO_LONG_OPTIONS);
        if (host < 0 || host + 1 >= w.size()) {
            return null;
        }
        return checkNested(join(w, host + 1), depth);
    }

    private static boolean hasDownloader(List<SimpleCommand> commands) {
        for (SimpleCommand c : commands) {
            int k = unwrap(c.words, 0);
            if (k < c.words.size() && DOWNLOADERS.contains(commandName(c.words.get(k)))) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- git

    private Decision.Block checkGit(List<Word> w, int i, int depth) {
        Map<String, String> aliases = Map.of();
        while (i < w.size()) {
            String a = w.get(i).text();
            if (a.equals("-c") && i + 1 < w.size()) {
                String kv = w.get(i + 1).text();
                int eq = kv.indexOf('=');
                Decision.Block viaConfig = checkCommandRunningConfig(kv, eq, depth);
                if (viaConfig != null) {
                    return viaConfig;
                }
                if (eq > 6 && kv.regionMatches(true, 0, "alias.", 0, 6)) {
                    if (aliases.isEmpty()) {
                        aliases = new HashMap<>();
                    }
                    aliases.put(kv.substring(6, eq), kv.substring(eq + 1));
                }
                i += 2;
            } else if (a.equals("-C")
                    || a.equals("--git-dir")
                    || a.equals("--work-tree")
                    || a.equals("--namespace")
                    || a.equals("--config-env")
                    || a.equals("--super-prefix")
                    || a.equals("--list-cmds")) {
                i += 2;
            } else if (a.startsWith("-")) {
                i++;
            } else {
                break;
            }
        }
        if (i >= w.size()) {
            return null;
        }
        String sub = w.get(i).text();
        String alias = aliases.get(sub);
        if (alias != null) {
            if (alias.startsWith("!")) {
                return checkNested(alias.substring(1) + " " + join(w, i + 1), depth);
            }
            return checkNested("git " + alias + " " + join(w, i + 1), depth);
        }
        GitCommand cmd = new GitCommand(w, i);
        return switch (sub) {
            case "push" -> checkPush(w, i + 1, cmd);
            case "reset" -> hasArg(w, i + 1, "--hard")
                    ? report(CommandRule.GIT_HISTORY_REWRITE.block(
                            "reset --hard discards commits and changes", cmd.text()))
                    : null;
            case "rebase" -> {
                String first = i + 1 < w.size() ? w.get(i + 1).text() : "";
                boolean leaving =
                        first.equals("--abort") || first.equals("--quit") || first.equals("--show-current-patch");
                yield leaving ? null : report(CommandRule.GIT_HISTORY_REWRITE.block("rebase", cmd.text()));
            }
            case "filter-branch", "filter-repo" -> report(CommandRule.GIT_HISTORY_REWRITE.block(sub, cmd.text()));
            case "update-ref" -> checkUpdateRef(w, i + 1, cmd);
            case "branch" -> checkBranch(w, i + 1, cmd);
            case "clean" -> checkClean(w, i + 1, cmd);
            case "reflog" -> {
                String action = i + 1 < w.size() ? w.get(i + 1).text() : "";
                yield action.equals("expire") || action.equals("delete")
                        ? report(CommandRule.GIT_HISTORY_REWRITE.block("reflog " + action, cmd.text()))
                        : null;
            }
            default -> null;
        };
    }

    /** The normalised git command line, built only when a rule fires. */
    private record GitCommand(List<Word> words, int subcommand) {
        String text() {
            return "git " + join(words, subcommand);
        }
    }

    /** Config keys whose value git runs as a shell command: {@code git -c core.sshCommand='...' push}. */
    private Decision.Block checkCommandRunningConfig(String kv, int eq, int depth) {
        if (eq <= 0) {
            return null;
        }
        String key = kv.substring(0, eq).toLowerCase(Locale.ROOT);
        String value = kv.substring(eq + 1);
        boolean runs = COMMAND_CONFIG_KEYS.contains(key)
                || (key.startsWith("credential.") && key.endsWith(".helper") || key.equals("credential.helper"))
                        && value.startsWith("!");
        if (!runs) {
            return null;
        }
        return checkNested(value.startsWith("!") ? value.substring(1) : value, depth);
    }

    private static boolean hasArg(List<Word> w, int from, String arg) {
        for (int j = from; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.equals("--")) {
                return false;
            }
            if (a.equals(arg)) {
                return true;
            }
        }
        return false;
    }

    private Decision.Block checkPush(List<Word> w, int from, GitCommand cmd) {
        boolean options = true;
        for (int j = from; j < w.size(); j++) {
            String a = w.get(j).text();
            if (options && a.equals("--")) {
                options = false;
                continue;
            }
            if (options && a.startsWith("--")) {
                if (a.equals("--force")
                        || a.equals("--force-with-lease")
                        || a.startsWith("--force-with-lease=")
                        || a.equals("--force-if-includes")
                        || a.equals("--mirror")) {
                    return report(CommandRule.GIT_FORCE_PUSH.block(a, cmd.text()));
                }
                if (a.equals("--delete") || a.equals("--prune")) {
                    return report(CommandRule.GIT_REMOTE_DELETE.block(a, cmd.text()));
                }
                if (a.indexOf('=') < 0
                        && (a.equals("--repo")
                                || a.equals("--push-option")
                                || a.equals("--receive-pack")
                                || a.equals("--exec"))) {
                    j++;
                }
                continue;
            }
            if (options && a.startsWith("-") && a.length() > 1) {
                for (int k = 1; k < a.length(); k++) {
                    char c = a.charAt(k);
                    if (c == 'f') {
                        return report(CommandRule.GIT_FORCE_PUSH.block(a, cmd.text()));
                    }
                    if (c == 'd') {
                        return report(CommandRule.GIT_REMOTE_DELETE.block(a, cmd.text()));
                    }
                    if (c == 'o') {
                        if (k == a.length() - 1) {
                            j++;
                        }
                        break;
                    }
                }
                continue;
            }
            if (a.startsWith("+")) {
                return report(CommandRule.GIT_FORCE_PUSH.block("forced refspec " + a, cmd.text()));
            }
            if (a.startsWith(":") && a.length() > 1) {
                return report(CommandRule.GIT_REMOTE_DELETE.block("empty source refspec " + a, cmd.text()));
            }
        }
        return null;
    }

    private Decision.Block checkUpdateRef(List<Word> w, int from, GitCommand cmd) {
        for (int j = from; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.equals("-d") || a.equals("--stdin")) {
                return report(CommandRule.GIT_HISTORY_REWRITE.block("update-ref " + a, cmd.text()));
            }
            if (!a.startsWith("-") && isProtectedRef(a)) {
                return report(CommandRule.GIT_HISTORY_REWRITE.block("moves protected ref " + a, cmd.text()));
            }
        }
        return null;
    }

    private Decision.Block checkBranch(List<Word> w, int from, GitCommand cmd) {
        boolean delete = false;
        boolean force = false;
        boolean forceDelete = false;
        boolean protectedRef = false;
        boolean options = true;
        for (int j = from; j < w.size(); j++) {
            String a = w.get(j).text();
            if (options && a.equals("--")) {
                options = false;
            } else if (options && a.startsWith("--")) {
                delete |= a.equals("--delete");
                force |= a.equals("--force");
            } else if (options && a.startsWith("-") && a.length() > 1) {
                for (int k = 1; k < a.length(); k++) {
                    switch (a.charAt(k)) {
                        case 'D' -> forceDelete = true;
                        case 'd' -> delete = true;
                        case 'f', 'M', 'C' -> force = true;
                        default -> {}
                    }
                }
            } else {
                protectedRef |= isProtectedRef(a);
            }
        }
        boolean destructive = forceDelete || (delete && force) || force;
        if (destructive && protectedRef) {
            return report(CommandRule.GIT_HISTORY_REWRITE.block(
                    "force-deletes or force-moves a protected branch", cmd.text()));
        }
        return null;
    }

    static boolean isProtectedRef(String ref) {
        String r = ref;
        if (r.startsWith("refs/heads/")) {
            r = r.substring("refs/heads/".length());
        } else if (r.startsWith("refs/remotes/")) {
            r = r.substring("refs/remotes/".length());
            int slash = r.indexOf('/');
            r = slash >= 0 ? r.substring(slash + 1) : r;
        } else if (r.startsWith("origin/") || r.startsWith("upstream/")) {
            r = r.substring(r.indexOf('/') + 1);
        }
        return PROTECTED_BRANCHES.contains(r) || r.startsWith("release/") || r.startsWith("release-");
    }

    private Decision.Block checkClean(List<Word> w, int from, GitCommand cmd) {
        boolean force = false;
        boolean dryRun = false;
        for (int j = from; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.equals("--")) {
                break;
            }
            if (a.startsWith("--")) {
                force |= a.equals("--force");
                dryRun |= a.equals("--dry-run");
            } else if (a.startsWith("-")) {
                force |= a.indexOf('f') > 0;
                dryRun |= a.indexOf('n') > 0;
            }
        }
        return force && !dryRun ? report(CommandRule.GIT_CLEAN.block(cmd.text())) : null;
    }

    // ---------------------------------------------------------------- deletion, permissions, disks

    private Decision.Block checkRm(List<Word> w, int i) {
        boolean recursive = false;
        boolean options = true;
        String wide = null;
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (options && a.equals("--")) {
                options = false;
            } else if (options && a.startsWith("--")) {
                recursive |= a.equals("--recursive");
                if (a.equals("--no-preserve-root")) {
                    wide = "/";
                }
            } else if (options && a.startsWith("-") && a.length() > 1) {
                recursive |= a.indexOf('r') > 0 || a.indexOf('R') > 0;
            } else if (wide == null && Paths.isWide(a)) {
                wide = a;
            }
        }
        if (recursive) {
            return report(CommandRule.RECURSIVE_DELETE.block("recursive rm", join(w, i)));
        }
        if (wide != null) {
            return report(CommandRule.RECURSIVE_DELETE.block("rm of " + wide, join(w, i)));
        }
        return null;
    }

    private Decision.Block checkFind(List<Word> w, int i, SimpleCommand origin, int depth) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.equals("-delete")) {
                return report(CommandRule.RECURSIVE_DELETE.block("find -delete", join(w, i)));
            }
            if (a.equals("-exec") || a.equals("-execdir") || a.equals("-ok") || a.equals("-okdir")) {
                int k = j + 1;
                while (k < w.size()
                        && !w.get(k).text().equals(";")
                        && !w.get(k).text().equals("+")) {
                    k++;
                }
                Decision.Block b = checkInvocation(w.subList(j + 1, k), 0, origin, depth);
                if (b != null) {
                    return b;
                }
                j = k;
            }
        }
        return null;
    }

    private Decision.Block checkPermissions(String name, List<Word> w, int i) {
        boolean recursive = false;
        boolean reference = false;
        boolean operandSeen = false;
        String mode = null;
        String wide = null;
        boolean root = false;
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("--")) {
                recursive |= a.equals("--recursive");
                reference |= a.startsWith("--reference");
                continue;
            }
            if (a.startsWith("-") && a.length() > 1 && !(name.equals("chmod") && isSymbolicMode(a))) {
                recursive |= a.indexOf('R') > 0;
                continue;
            }
            if (!operandSeen && !reference) {
                operandSeen = true;
                mode = a;
                continue;
            }
            if (wide == null && Paths.isWide(a)) {
                wide = a;
            }
            root |= a.equals("/") || a.equals("/*");
        }
        if (recursive && wide != null) {
            return report(CommandRule.PERMISSION_WIDE.block(name + " -R on " + wide, join(w, i)));
        }
        if (recursive && name.equals("chmod") && mode != null && WIDE_MODES.contains(mode)) {
            return report(CommandRule.PERMISSION_WIDE.block("chmod -R " + mode, join(w, i)));
        }
        if (root) {
            return report(CommandRule.PERMISSION_WIDE.block(name + " on /", join(w, i)));
        }
        return null;
    }

    private static boolean isSymbolicMode(String a) {
        // `chmod -w file`, `chmod -x,u+r file`: a mode, not an option
        for (int k = 1; k < a.length(); k++) {
            char c = a.charAt(k);
            if ("rwxXstugo+-=,".indexOf(c) < 0) {
                return false;
            }
        }
        return a.indexOf('R') < 0;
    }

    private Decision.Block checkDd(List<Word> w, int i) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("of=")) {
                String target = a.substring(3);
                if (Paths.isBlockDevice(target)) {
                    return report(CommandRule.DISK_DESTROY.block("dd onto " + target, join(w, i)));
                }
                if (Paths.isSecret(target)) {
                    return report(CommandRule.SECRET_WRITE.block("dd into " + target, join(w, i)));
                }
            }
        }
        return null;
    }

    private Decision.Block checkDiskTool(String name, List<Word> w, int i) {
        boolean listOnly = false;
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            switch (name) {
                case "fdisk", "sfdisk", "gdisk", "sgdisk" -> listOnly |= a.equals("-l")
                        || a.equals("--list")
                        || a.equals("-d")
                        || a.equals("--dump")
                        || a.equals("-p")
                        || a.equals("--print")
                        || a.equals("-V")
                        || a.equals("--verify");
                case "parted" -> listOnly |= a.equals("-l") || a.equals("--list") || a.equals("print");
                case "wipefs" -> listOnly |= a.equals("-n") || a.equals("--no-act");
                default -> {}
            }
            listOnly |= a.equals("--help") || a.equals("--version") || a.equals("-h");
        }
        if (name.equals("wipefs") && !listOnly) {
            // without -a/-o wipefs only prints the signatures it finds
            boolean erases = false;
            for (int j = i + 1; j < w.size(); j++) {
                String a = w.get(j).text();
                erases |= a.equals("--all")
                        || a.startsWith("--offset")
                        || (a.startsWith("-") && !a.startsWith("--") && (a.indexOf('a') > 0 || a.indexOf('o') > 0));
            }
            listOnly = !erases;
        }
        return listOnly ? null : report(CommandRule.DISK_DESTROY.block(name, join(w, i)));
    }

    // ---------------------------------------------------------------- writes into secret locations

    private Decision.Block checkTee(List<Word> w, int i) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("-") && a.length() > 1) {
                continue;
            }
            if (Paths.isSecret(a)) {
                return report(CommandRule.SECRET_WRITE.block("tee into " + a, join(w, i)));
            }
            if (Paths.isBlockDevice(a)) {
                return report(CommandRule.DISK_DESTROY.block("tee onto " + a, join(w, i)));
            }
        }
        return null;
    }

    private Decision.Block checkCopyTarget(List<Word> w, int i) {
        String name = commandName(w.get(i));
        String targetDir = null;
        String lastSource = null;
        String last = null;
        boolean options = true;
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (options && a.equals("--")) {
                options = false;
                continue;
            }
            if (options && a.startsWith("--target-directory=")) {
                targetDir = a.substring("--target-directory=".length());
                continue;
            }
            if (options && a.startsWith("-") && a.length() > 1) {
                if (a.equals("-t") || a.equals("--target-directory")) {
                    targetDir = j + 1 < w.size() ? w.get(++j).text() : null;
                } else if (!a.startsWith("--")
                        && name.equals("install")
                        && (a.equals("-m") || a.equals("-o") || a.equals("-g"))) {
                    j++;
                } else if (a.equals("-S") || a.equals("--suffix")) {
                    j++;
                }
                continue;
            }
            lastSource = last;
            last = a;
        }
        String dest = targetDir != null ? targetDir : (lastSource != null ? last : null);
        if (dest == null) {
            return null;
        }
        String source = targetDir != null ? last : lastSource;
        boolean secret = Paths.isSecret(dest);
        if (!secret && source != null && (dest.endsWith("/") || targetDir != null)) {
            int slash = source.lastIndexOf('/');
            secret = Paths.isSecret(dest + (dest.endsWith("/") ? "" : "/") + source.substring(slash + 1));
        }
        if (secret) {
            return report(CommandRule.SECRET_WRITE.block(name + " into " + dest, join(w, i)));
        }
        if (Paths.isBlockDevice(dest)) {
            return report(CommandRule.DISK_DESTROY.block(name + " onto " + dest, join(w, i)));
        }
        return null;
    }

    // ---------------------------------------------------------------- helpers

    static String join(List<Word> w, int from) {
        if (from >= w.size()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int j = from; j < w.size(); j++) {
            if (j > from) {
                sb.append(' ');
            }
            sb.append(w.get(j).text());
        }
        return sb.toString();
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }
}
