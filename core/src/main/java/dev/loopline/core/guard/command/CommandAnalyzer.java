package dev.loopline.core.guard.command;

import java.util.HashSet;
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

    static final Set<String> SHELLS =
            Set.of("sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "yash", "rbash");
    static final Set<String> INTERPRETERS = Set.of(
            "python",
            "python2",
            "python3",
            "pypy",
            "pypy3",
            "perl",
            "ruby",
            "node",
            "nodejs",
            "php",
            "deno",
            "bun",
            "pwsh",
            "powershell",
            "lua",
            "luajit",
            "osascript",
            "Rscript",
            "tclsh",
            "jshell",
            "groovy",
            "scala",
            "julia",
            "elixir",
            "erl",
            "escript",
            "swift",
            "kotlin");
    static final Set<String> DOWNLOADERS =
            Set.of("curl", "wget", "fetch", "aria2c", "http", "https", "xh", "lwp-request", "GET", "ftp", "tftp");
    private static final Set<String> WIDE_MODES =
            Set.of("777", "0777", "1777", "2777", "4777", "a+rwx", "ugo+rwx", "a=rwx", "ugo=rwx", "o+w", "a+w");

    private final CommandPolicy policy;
    private final GitRules git;

    CommandAnalyzer(CommandPolicy policy) {
        this.policy = policy;
        this.git = new GitRules(this);
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
        Variables vars = null;
        Map<SimpleCommand, SimpleCommand> resolved = null;
        Set<String> fetched = null;
        Map<String, String> written = null;
        Set<String> arbitraryRemotes = null;
        Decision.Block deferred = null;
        for (SimpleCommand parsed : commands) {
            SimpleCommand c = parsed;
            if (vars != null && !vars.isEmpty() && hasExpansion(parsed)) {
                c = vars.resolve(parsed);
                if (c != parsed) {
                    if (resolved == null) {
                        resolved = new IdentityHashMap<>();
                    }
                    resolved.put(parsed, c);
                }
            }
            if (!c.words.isEmpty()) {
                if (vars == null) {
                    Word first = c.words.get(0);
                    if (first.isAssignment()
                            || first.text().equals("export")
                            || first.text().equals("declare")
                            || first.text().equals("local")
                            || first.text().equals("readonly")
                            || first.text().equals("typeset")) {
                        vars = new Variables();
                        vars.record(c);
                    }
                } else {
                    vars.record(c);
                }
            }
            Decision.Block b = checkRedirects(c);
            if (b == null) {
                b = checkInvocation(c.words, 0, c, depth, null);
            }
            if (b == null) {
                b = checkForkBomb(c);
            }
            int k = c.unwrapped();
            Word nameWord = k < c.words.size() ? c.words.get(k) : null;
            String name = nameWord != null ? nameWord.commandName() : "";
            int kind = nameWord != null ? nameWord.kind() : 0;
            boolean download = (kind & CommandKinds.DOWNLOADER) != 0;
            boolean decode = (kind & CommandKinds.DECODER) != 0 && GeneratedText.isDecoder(name, c.words, k);
            if (b == null && fetched != null) {
                b = checkRunsFetched(c, k, name, fetched);
            }
            if (b == null && written != null) {
                b = checkRunsWritten(c, k, name, written, depth);
            }
            if (k < c.words.size() && !c.redirects.isEmpty()) {
                written = recordWrittenScript(c, k, name, written);
            }
            if (name.equals("git")) {
                String added = GitRules.arbitraryRemoteAdded(c.words, k + 1);
                if (added != null) {
                    if (arbitraryRemotes == null) {
                        arbitraryRemotes = new HashSet<>();
                    }
                    arbitraryRemotes.add(added);
                } else if (b == null && arbitraryRemotes != null) {
                    String remote = GitRules.pushRemote(c.words, k + 1);
                    if (remote != null && arbitraryRemotes.contains(remote)) {
                        b = report(CommandRule.SECRET_EXFILTRATION.block(
                                "push to remote " + remote + " just pointed at an arbitrary host", c.toString()));
                    }
                }
            }
            if (b == null && c.inMultiPipeline()) {
                List<SimpleCommand> pipeline = c.pipeline;
                if (pipeline.get(pipeline.size() - 1) == parsed) {
                    // checked once, at its last stage, when every stage's variables are resolved
                    b = checkPipeline(pipeline, resolved, depth);
                }
            } else if (b == null && (download || decode)) {
                b = checkFeedsShell(c, download, name);
            }
            if (b != null) {
                return b;
            }
            if (download
                    || decode
                    || (c.inMultiPipeline()
                            && (name.equals("tee") || hasWriteRedirect(c))
                            && downloadedUpstream(parsed))) {
                if (fetched == null) {
                    fetched = new HashSet<>();
                }
                GeneratedText.addDownloadTargets(c, k, fetched);
            }
            if (deferred == null
                    && k < c.words.size()
                    && ((kind & CommandKinds.READER) != 0
                            || !c.redirects.isEmpty()
                            || name.equals("source")
                            || name.equals("."))) {
                String cred = Exfiltration.credentialStoreRead(name, c.words, k, c);
                if (cred != null) {
                    deferred = report(CommandRule.SECRET_READ.block("reads " + cred, c.toString()));
                }
            }
            if (deferred == null && k < c.words.size() && !c.inMultiPipeline()) {
                // printed into the run log (or a file); piped on, the pipeline check above judges where it goes
                String printed = Exfiltration.printedCredential(name, c.words, k);
                if (printed != null) {
                    deferred = report(CommandRule.SECRET_READ.block("prints " + printed, c.toString()));
                }
            }
        }
        return deferred;
    }

    private static boolean hasWriteRedirect(SimpleCommand c) {
        for (Redirect r : c.redirects) {
            if (r.writesFile()) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasExpansion(SimpleCommand c) {
        for (Word w : c.words) {
            if (w.expansion()) {
                return true;
            }
        }
        for (Redirect r : c.redirects) {
            if (r.target().expansion()) {
                return true;
            }
        }
        return false;
    }

    Decision.Block report(Decision.Block b) {
        return b == null || policy.excepts(b) ? null : b;
    }

    // ---------------------------------------------------------------- structure-level rules

    private Decision.Block checkRedirects(SimpleCommand c) {
        if (c.redirects.isEmpty()) {
            return null; // most commands have none: skip the iterator
        }
        for (Redirect r : c.redirects) {
            if (r.body() == null && Paths.isRemoteSocket(r.target().text())) {
                Decision.Block b = report(
                        CommandRule.RAW_SOCKET.block("redirect to " + r.target().text(), describe(c, r)));
                if (b != null) {
                    return b;
                }
            }
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
            if (Paths.isSystemFile(target)) {
                Decision.Block b = report(CommandRule.SYSTEM_WRITE.block("redirect into " + target, describe(c, r)));
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

    /**
     * Follows what flows down a pipeline: a download, decoded or transformed text, the output of
     * {@code echo}/{@code printf}, or secrets; and what each stage does with its input (run it, send it).
     */
    private Decision.Block checkPipeline(
            List<SimpleCommand> pipeline, Map<SimpleCommand, SimpleCommand> resolved, int depth) {
        for (int j = 1; j < pipeline.size(); j++) {
            SimpleCommand parsed = pipeline.get(j);
            SimpleCommand stage = resolved == null ? parsed : resolved.getOrDefault(parsed, parsed);
            int i = stage.unwrapped();
            if (i < 0 || i >= stage.words.size()) {
                continue;
            }
            List<Word> w = stage.words;
            String name = commandName(w.get(i));
            boolean sink = Exfiltration.isSink(name);
            boolean runsInput = runsCode(name) && (readsScriptFromStdin(name, w, i) || viaXargs(w, i));
            boolean processSubstitution = hasSubstitution(stage);
            if (!sink && !runsInput && !processSubstitution) {
                continue; // the common case: what flows in does not matter to this stage
            }
            Flow in = flowInto(pipeline, resolved, j);
            if (sink && in.secret != null) {
                return report(CommandRule.SECRET_EXFILTRATION.block(
                        "pipes " + in.secret + " into " + name, joinPipeline(pipeline)));
            }
            if (runsInput) {
                if (in.downloaded) {
                    return report(
                            CommandRule.REMOTE_CODE_EXEC.block("download piped into " + name, joinPipeline(pipeline)));
                }
                if (in.decoded != null) {
                    return report(CommandRule.OBFUSCATED_EXEC.block(
                            in.decoded + " output piped into " + name, joinPipeline(pipeline)));
                }
                if (in.generated != null) {
                    Decision.Block b =
                            CommandKinds.is(name, CommandKinds.SHELL) || name.equals("source") || name.equals(".")
                                    ? checkNested(in.generated, depth)
                                    : checkCode(interpreterName(name), in.generated, depth, joinPipeline(pipeline));
                    if (b != null) {
                        return b;
                    }
                }
            }
            if ((in.downloaded || in.decoded != null) && feedsShell(stage)) {
                return report((in.downloaded ? CommandRule.REMOTE_CODE_EXEC : CommandRule.OBFUSCATED_EXEC)
                        .block("output fed to a shell through >(...)", joinPipeline(pipeline)));
            }
        }
        return null;
    }

    /** What flows into a pipeline stage: a download, decoded text, secrets, or the text echo/printf print. */
    private static final class Flow {
        boolean downloaded;
        String decoded;
        String secret;
        String generated;
    }

    /** Follows the stages before stage {@code upTo}; only computed for stages whose input matters. */
    private static Flow flowInto(List<SimpleCommand> pipeline, Map<SimpleCommand, SimpleCommand> resolved, int upTo) {
        Flow f = new Flow();
        for (int j = 0; j < upTo; j++) {
            SimpleCommand parsed = pipeline.get(j);
            SimpleCommand stage = resolved == null ? parsed : resolved.getOrDefault(parsed, parsed);
            f.generated = null;
            List<SimpleCommand> members = stage.group != null ? stage.group : List.of(stage);
            for (SimpleCommand m : members) {
                SimpleCommand member = m == parsed ? stage : m;
                int k = member.unwrapped();
                if (k >= member.words.size()) {
                    if (f.secret == null && Exfiltration.printsEnvironment(member)) {
                        f.secret = "the environment";
                    }
                    continue;
                }
                String memberName = commandName(member.words.get(k));
                if (f.secret == null) {
                    f.secret = Exfiltration.secretOutput(memberName, member.words, k, member);
                }
                if ((member.words.get(k).kind() & CommandKinds.DOWNLOADER) != 0 || readsDownload(member)) {
                    f.downloaded = true;
                } else if (f.decoded == null && GeneratedText.isDecoder(memberName, member.words, k)) {
                    f.decoded = memberName;
                }
                if (stage.group == null) {
                    f.generated = GeneratedText.generatedScript(memberName, member, k);
                }
            }
        }
        return f;
    }

    private static boolean hasSubstitution(SimpleCommand c) {
        for (Word w : c.words) {
            if (!w.substituted().isEmpty()) {
                return true;
            }
        }
        for (Redirect r : c.redirects) {
            if (!r.target().substituted().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** {@code cat <(curl …)}: a stage that reads a download through a process substitution. */
    private static boolean readsDownload(SimpleCommand c) {
        for (Word w : c.words) {
            if (!w.substituted().isEmpty() && w.text().startsWith("<(") && hasDownloader(w.substituted())) {
                return true;
            }
        }
        for (Redirect r : c.redirects) {
            if (hasDownloader(r.target().substituted())) {
                return true;
            }
        }
        return false;
    }

    /** {@code curl url > >(sh)}, {@code base64 -d x | tee >(bash)}: a process substitution that runs its input. */
    private Decision.Block checkFeedsShell(SimpleCommand c, boolean download, String name) {
        if (!feedsShell(c)) {
            return null;
        }
        return report((download ? CommandRule.REMOTE_CODE_EXEC : CommandRule.OBFUSCATED_EXEC)
                .block(name + " output fed to a shell through >(...)", c.toString()));
    }

    private static boolean feedsShell(SimpleCommand c) {
        for (Word w : c.words) {
            if (w.text().startsWith(">(") && runsStdinIn(w.substituted())) {
                return true;
            }
        }
        for (Redirect r : c.redirects) {
            if (r.target().text().startsWith(">(") && runsStdinIn(r.target().substituted())) {
                return true;
            }
        }
        return false;
    }

    private static boolean runsStdinIn(List<SimpleCommand> subs) {
        for (SimpleCommand s : subs) {
            int k = s.unwrapped();
            if (k < s.words.size() && readsScriptFromStdin(commandName(s.words.get(k)), s.words, k)) {
                return true;
            }
        }
        return false;
    }

    private static boolean viaXargs(List<Word> w, int i) {
        for (int j = 0; j < i; j++) {
            if (commandName(w.get(j)).equals("xargs")) {
                return true;
            }
        }
        return false;
    }

    private static boolean runsCode(String name) {
        return CommandKinds.is(name, CommandKinds.SHELL | CommandKinds.INTERPRETER)
                || name.equals("eval")
                || name.equals("source")
                || name.equals(".");
    }

    private static boolean downloadedUpstream(SimpleCommand parsed) {
        for (SimpleCommand s : parsed.pipeline) {
            if (s == parsed) {
                return false;
            }
            int k = s.unwrapped();
            if (k < s.words.size()
                    && ((s.words.get(k).kind() & CommandKinds.DOWNLOADER) != 0
                            || GeneratedText.isDecoder(commandName(s.words.get(k)), s.words, k))) {
                return true;
            }
        }
        return false;
    }

    /** {@code curl -o x.sh … && sh x.sh}, {@code && ./x.sh}, {@code && source x.sh}: runs a file just downloaded. */
    private Decision.Block checkRunsFetched(SimpleCommand c, int k, String name, Set<String> fetched) {
        if (fetched.isEmpty() || k >= c.words.size()) {
            return null;
        }
        List<Word> w = c.words;
        String ran = null;
        String word = w.get(k).text();
        if (word.indexOf('/') >= 0 && fetched.contains(GeneratedText.normalise(word))) {
            ran = word;
        } else if (runsCode(name)) {
            for (int j = k + 1; j < w.size(); j++) {
                String a = w.get(j).text();
                if (fetched.contains(GeneratedText.normalise(a))) {
                    ran = a;
                    break;
                }
            }
        }
        return ran == null
                ? null
                : report(CommandRule.REMOTE_CODE_EXEC.block(
                        "runs the file just downloaded or decoded: " + ran, c.toString()));
    }

    /** {@code cat > x.sh <<EOF … EOF}, {@code echo '…' > x.py}: remembers what a command writes into a file. */
    private static Map<String, String> recordWrittenScript(
            SimpleCommand c, int k, String name, Map<String, String> written) {
        if (!(name.equals("echo") || name.equals("printf") || name.equals("cat") || name.equals("tee"))) {
            return written;
        }
        String text = GeneratedText.generatedScript(name.equals("tee") ? "cat" : name, c, k);
        if (text == null) {
            return written;
        }
        for (Redirect r : c.redirects) {
            if (r.writesFile()) {
                if (written == null) {
                    written = new java.util.HashMap<>();
                }
                String path = GeneratedText.normalise(r.target().text());
                String before = r.op().equals(">>") ? written.getOrDefault(path, "") : "";
                written.put(path, before.isEmpty() ? text : before + "\n" + text);
            }
        }
        return written;
    }

    /** {@code cat > x.sh <<EOF … EOF; bash x.sh}: a script written by the same command is checked when it runs. */
    private Decision.Block checkRunsWritten(
            SimpleCommand c, int k, String name, Map<String, String> written, int depth) {
        if (k >= c.words.size()) {
            return null;
        }
        List<Word> w = c.words;
        String word = w.get(k).text();
        String script = word.indexOf('/') >= 0 ? written.get(GeneratedText.normalise(word)) : null;
        String family = null;
        if (script == null && runsCode(name)) {
            for (int j = k + 1; j < w.size() && script == null; j++) {
                script = written.get(GeneratedText.normalise(w.get(j).text()));
            }
            family = CommandKinds.is(name, CommandKinds.INTERPRETER) ? interpreterName(name) : null;
        }
        if (script == null) {
            return null;
        }
        return family == null ? checkNested(script, depth) : checkCode(family, script, depth, c.toString());
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
        if (name.equals("source") || name.equals(".")) {
            return i + 1 < w.size() && isStdinPath(w.get(i + 1).text());
        }
        boolean shell = CommandKinds.is(name, CommandKinds.SHELL);
        if (!shell && interpreterName(name) == null) {
            return false;
        }
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.equals("-")) {
                return true;
            }
            if (a.equals("--")) {
                return j + 1 >= w.size()
                        || w.get(j + 1).text().equals("-")
                        || isStdinPath(w.get(j + 1).text());
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
            return isStdinPath(a); // a script file argument
        }
        return true;
    }

    private static boolean isStdinPath(String a) {
        return a.equals("/dev/stdin") || a.equals("/dev/fd/0") || a.equals("/proc/self/fd/0");
    }

    /** The interpreter family of {@code name} ({@code python3.12} is {@code python}), or null. */
    static String interpreterName(String name) {
        if (INTERPRETERS.contains(name)) {
            return name;
        }
        if (name.isEmpty() || !Character.isDigit(name.charAt(name.length() - 1))) {
            return null;
        }
        int end = name.length();
        while (end > 0 && (Character.isDigit(name.charAt(end - 1)) || name.charAt(end - 1) == '.')) {
            end--;
        }
        if (end == name.length() || end == 0) {
            return null;
        }
        String base = name.substring(0, end);
        return INTERPRETERS.contains(base) ? base : null;
    }

    // ---------------------------------------------------------------- invocation-level rules

    static String commandName(Word w) {
        return w.commandName();
    }

    private Decision.Block checkInvocation(
            List<Word> w, int i, SimpleCommand origin, int depth, DeletionRules.Feed feed) {
        String name;
        while (true) {
            i = Wrappers.skipAssignments(w, i);
            if (i >= w.size()) {
                return null;
            }
            name = commandName(w.get(i));
            Decision.Block denied = checkPolicyDeny(name, w, i);
            if (denied != null) {
                return denied;
            }
            if (name.equals("env")) {
                String split = Wrappers.envSplitString(w, i);
                if (split != null) {
                    return checkNested(split, depth);
                }
            }
            int next = Wrappers.wrapped(name, w, i);
            if (next == Wrappers.NOT_A_WRAPPER) {
                break;
            }
            if (name.equals("nsenter")) {
                // a wrapper, but entering another process's namespaces is the escalation itself
                Decision.Block b = report(CommandRule.PRIVILEGE_ESCALATION.block(
                        "nsenter enters another process's namespaces", join(w, i)));
                if (b != null) {
                    return b;
                }
            }
            if (next == Wrappers.NO_COMMAND) {
                return null;
            }
            if (name.equals("xargs")) {
                feed = DeletionRules.xargsFeed(w, i, next, origin);
                w = DeletionRules.fedWords(w, next, feed);
            }
            i = next;
        }
        Word nameWord = w.get(i);
        if (nameWord.expansion() && Variables.hasExpansion(nameWord.text())) {
            return checkDynamicName(w, i, origin, depth, feed);
        }
        int kind = nameWord.kind();
        if ((kind & CommandKinds.SINK) != 0 && feed != null && !feed.local()) {
            return report(CommandRule.SECRET_EXFILTRATION.block(
                    name + " sends files found outside the worktree", join(w, i)));
        }
        if ((kind & CommandKinds.SINK) != 0) {
            Decision.Block b = checkSink(name, w, i, origin);
            if (b != null) {
                return b;
            }
        }
        if ((kind & CommandKinds.DISK) != 0) {
            String why = DiskTools.destroys(name, w, i);
            return why == null ? null : report(CommandRule.DISK_DESTROY.block(why, join(w, i)));
        }
        if ((kind & CommandKinds.HOST) != 0) {
            HostRules.Finding f = HostRules.check(name, w, i);
            Decision.Block b = f == null ? null : report(f.rule().block(f.detail(), join(w, i)));
            if (b != null) {
                return b;
            }
        }
        return switch (name) {
            case "git" -> git.check(w, i + 1, depth);
            case "rm" -> report(DeletionRules.checkRm(w, i));
            case "find" -> checkFind(w, i, origin, depth);
            case "chmod", "chown", "chgrp" -> checkPermissions(name, w, i);
            case "dd" -> checkDd(w, i);
            case "tee" -> checkTee(w, i);
            case "cp", "mv", "install", "ln" -> checkCopyTarget(w, i);
            case "rsync" -> {
                Decision.Block b = checkProgramOptions(w, i, depth, RSYNC_PROGRAM_OPTIONS);
                yield b != null ? b : checkCopyTarget(w, i);
            }
            case "eval" -> checkEval(w, i, depth);
            case "source", "." -> checkSourced(w, i, origin, depth);
            case "alias" -> checkAlias(w, i, depth);
            case "su", "runuser", "sg", "script" -> checkCommandOption(w, i, depth);
            case "at", "batch" -> checkAt(origin, depth);
            case "rimraf", "del", "del-cli", "trash", "trash-put", "srm" -> report(
                    DeletionRules.checkRm(asRecursiveRm(w, i), 0));
            case "vim", "vi", "nvim", "ex", "view", "vimdiff" -> checkVim(w, i, depth);
            case "tar" -> checkProgramOptions(w, i, depth, TAR_PROGRAM_OPTIONS);
            case "watch" -> checkWatch(w, i, depth);
            case "ssh" -> checkSsh(w, i, depth);
            case "awk", "gawk", "mawk", "nawk", "busybox-awk" -> checkAwk(w, i, depth);
            case "trap" -> {
                // `trap 'cmd' EXIT` runs cmd later in the same shell
                int j = i + 1 < w.size() && w.get(i + 1).text().equals("--") ? i + 2 : i + 1;
                boolean listing = j >= w.size() || w.get(j).text().startsWith("-");
                yield listing ? null : checkNested(w.get(j).text(), depth);
            }
            default -> {
                if ((kind & CommandKinds.SHELL) != 0) {
                    yield checkShell(name, w, i, origin, depth);
                }
                if ((kind & CommandKinds.INTERPRETER) == 0) {
                    yield null;
                }
                String interpreter = interpreterName(name);
                if (interpreter != null) {
                    yield checkInterpreter(interpreter, w, i, origin, depth);
                }
                yield null;
            }
        };
    }

    /** Tools whose printed output is shell code meant for {@code eval "$(tool …)"}: an ordinary setup idiom. */
    private static final Set<String> ENV_SETUP_TOOLS = Set.of(
            "ssh-agent",
            "gpg-agent",
            "keychain",
            "pyenv",
            "rbenv",
            "nodenv",
            "jenv",
            "goenv",
            "plenv",
            "direnv",
            "brew",
            "dircolors",
            "conda",
            "mamba",
            "micromamba",
            "starship",
            "zoxide",
            "fnm",
            "mise",
            "rtx",
            "opam",
            "luarocks",
            "thefuck",
            "atuin",
            "sdkman",
            "gh",
            "kubectl",
            "helm",
            "npm",
            "pip",
            "rustup",
            "poetry",
            "register-python-argcomplete",
            "op",
            "aws-vault",
            "pipenv",
            "nvm");

    /**
     * A command whose name is an expansion. Resolved names were substituted before; what is left cannot be
     * known statically and is blocked, except a literal program name after the last slash
     * ({@code $JAVA_HOME/bin/java}), a function's own arguments ({@code "$@"}), and {@code $(tool …)} of the
     * shell-setup tools.
     */
    private Decision.Block checkDynamicName(
            List<Word> w, int i, SimpleCommand origin, int depth, DeletionRules.Feed feed) {
        Word word = w.get(i);
        String t = word.text();
        List<SimpleCommand> subs = word.substituted();
        Decision.Block fromSource = checkSubstitutedSource(subs, "command name", null, w, i);
        if (fromSource != null) {
            return fromSource;
        }
        int slash = t.lastIndexOf('/');
        // `$JAVA_HOME/bin/java`, `$(npm bin)/jest`: the program is named literally after the last expansion
        if (slash > Math.max(t.lastIndexOf(')'), t.lastIndexOf('`')) && isProgramName(t.substring(slash + 1))) {
            List<Word> literal = new java.util.ArrayList<>(w);
            literal.set(i, Word.literal(t.substring(slash + 1)));
            return checkInvocation(literal, i, origin, depth, feed);
        }
        if (origin != null && origin.enclosingFunction != null && isPositional(t)) {
            return null;
        }
        if (isSubstitutionOnly(t) && !subs.isEmpty()) {
            String known = Variables.knownSubstitution(subs);
            if (known != null && !known.equals(Variables.TEMP_DIR)) {
                // the output is split into words and run: check it as the command line it becomes
                return checkNested(known + " " + join(w, i + 1), depth);
            }
            boolean setup = true;
            for (SimpleCommand c : subs) {
                int k = c.unwrapped();
                setup &= k < c.words.size() && ENV_SETUP_TOOLS.contains(commandName(c.words.get(k)));
            }
            if (setup) {
                return null;
            }
        }
        return report(CommandRule.DYNAMIC_COMMAND.block(t, join(w, i)));
    }

    private static boolean isProgramName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '+')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPositional(String t) {
        String p = t.startsWith("${") && t.endsWith("}")
                ? t.substring(2, t.length() - 1)
                : t.startsWith("$") ? t.substring(1) : t;
        if (p.equals("@") || p.equals("*")) {
            return true;
        }
        for (int k = 0; k < p.length(); k++) {
            if (!Character.isDigit(p.charAt(k))) {
                return false;
            }
        }
        return !p.isEmpty();
    }

    private static boolean isSubstitutionOnly(String t) {
        return (t.startsWith("$(") && t.endsWith(")")) || (t.startsWith("`") && t.endsWith("`"));
    }

    /**
     * As below, for {@code what + whatOf} (no suffix when null) in {@code join(w, i)}: the texts are built only when
     * there is a substitution to check, as most words have none.
     */
    private Decision.Block checkSubstitutedSource(
            List<SimpleCommand> subs, String what, String whatOf, List<Word> w, int i) {
        if (subs.isEmpty()) {
            return null;
        }
        return checkSubstitutedSource(subs, whatOf == null ? what : what + whatOf, join(w, i));
    }

    /** Downloaded text is remote code, decoded text obfuscated code, wherever a shell is given it to run. */
    private Decision.Block checkSubstitutedSource(List<SimpleCommand> subs, String what, String command) {
        if (subs.isEmpty()) {
            return null;
        }
        if (hasDownloader(subs)) {
            return report(CommandRule.REMOTE_CODE_EXEC.block("downloaded " + what, command));
        }
        for (SimpleCommand c : subs) {
            int k = c.unwrapped();
            if (k < c.words.size() && GeneratedText.isDecoder(commandName(c.words.get(k)), c.words, k)) {
                return report(CommandRule.OBFUSCATED_EXEC.block("decoded " + what, command));
            }
        }
        return null;
    }

    private Decision.Block checkSink(String name, List<Word> w, int i, SimpleCommand origin) {
        if (name.equals("nc") || name.equals("ncat") || name.equals("netcat")) {
            for (int j = i + 1; j < w.size(); j++) {
                String a = w.get(j).text();
                if (a.equals("-e")
                        || a.equals("-c")
                        || a.startsWith("--exec")
                        || a.startsWith("--sh-exec")
                        || a.startsWith("--lua-exec")) {
                    return report(CommandRule.RAW_SOCKET.block(name + " " + a + " serves a shell", join(w, i)));
                }
            }
        }
        if (name.equals("socat")) {
            for (int j = i + 1; j < w.size(); j++) {
                String a = w.get(j).text().toLowerCase(Locale.ROOT);
                if (a.startsWith("exec:") || a.startsWith("system:") || a.contains(",exec:")) {
                    return report(CommandRule.RAW_SOCKET.block("socat runs a program on a socket", join(w, i)));
                }
            }
        }
        String why = Exfiltration.sendsSecret(name, w, i, origin == null ? new SimpleCommand() : origin);
        return why == null ? null : report(CommandRule.SECRET_EXFILTRATION.block(why, join(w, i)));
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

    Decision.Block checkNested(String script, int depth) {
        return checkScript(script, depth + 1);
    }

    // ---------------------------------------------------------------- shells and interpreters

    private Decision.Block checkShell(String name, List<Word> w, int i, SimpleCommand origin, int depth) {
        boolean inline = false;
        for (int j = i + 1; j < w.size(); j++) {
            Word word = w.get(j);
            String a = word.text();
            Decision.Block fromSource = checkSubstitutedSource(word.substituted(), "script given to ", name, w, i);
            if (fromSource != null) {
                return fromSource;
            }
            if (a.startsWith("-") && a.length() > 1 && !a.startsWith("--") && !inline) {
                if (a.indexOf('c') > 0) {
                    inline = true;
                } else if (a.equals("-o") || a.equals("-O")) {
                    j++;
                }
                continue;
            }
            if (a.startsWith("--") && !inline) {
                continue;
            }
            if (inline) {
                // the first operand after -c is the script; the rest become $0, $1…
                return checkNested(a, depth);
            }
            break; // a script file: its contents are not visible here
        }
        for (Redirect r : origin.redirects) {
            if (r.op().equals("<")) {
                Decision.Block fromSource =
                        checkSubstitutedSource(r.target().substituted(), "script fed to ", name, w, i);
                if (fromSource != null) {
                    return fromSource;
                }
            }
            if (r.body() != null && readsScriptFromStdin(name, w, i)) {
                // `bash <<EOF ... EOF` and `sh <<< "..."` run their input
                Decision.Block b = checkNested(r.body(), depth);
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    /**
     * An interpreter: its inline code ({@code -c}, {@code -e}, {@code -r}, {@code --eval}, or a heredoc it reads)
     * is looked into by {@link InterpreterCode}; a downloaded or decoded program is refused.
     */
    private Decision.Block checkInterpreter(String family, List<Word> w, int i, SimpleCommand origin, int depth) {
        String code = null;
        for (int j = i + 1; j < w.size(); j++) {
            Word word = w.get(j);
            String a = word.text();
            Decision.Block fromSource = checkSubstitutedSource(word.substituted(), "program given to ", family, w, i);
            if (fromSource != null) {
                return fromSource;
            }
            if (!a.startsWith("-") || a.length() < 2) {
                if (family.equals("deno") && a.equals("eval") && j + 1 < w.size()) {
                    code = w.get(j + 1).text();
                }
                break; // a script file or module: not visible here
            }
            if (family.equals("pwsh") || family.equals("powershell")) {
                String lower = a.toLowerCase(Locale.ROOT);
                if (lower.startsWith("-e") && !lower.startsWith("-ex")) {
                    return report(CommandRule.OBFUSCATED_EXEC.block("encoded PowerShell command", join(w, i)));
                }
                if (lower.equals("-c") || lower.startsWith("-command")) {
                    code = j + 1 < w.size() ? join(w, j + 1) : null;
                    break;
                }
                continue;
            }
            if (a.startsWith("--eval=") || a.startsWith("--print=")) {
                code = a.substring(a.indexOf('=') + 1);
                break;
            }
            if (isCodeFlag(family, a)) {
                if (j + 1 < w.size()) {
                    Word program = w.get(j + 1);
                    Decision.Block b = checkSubstitutedSource(program.substituted(), "program given to ", family, w, i);
                    if (b != null) {
                        return b;
                    }
                    code = program.text();
                }
                break;
            }
            if (family.startsWith("python") && (a.equals("-m") || a.startsWith("-m"))) {
                break; // runs a module
            }
            if ((family.startsWith("python") && (a.equals("-W") || a.equals("-X")))
                    || (family.startsWith("node") && (a.equals("-r") || a.equals("--require")))) {
                j++;
            }
        }
        if (code == null) {
            for (Redirect r : origin.redirects) {
                if (r.op().equals("<")) {
                    Decision.Block fromSource =
                            checkSubstitutedSource(r.target().substituted(), "program fed to ", family, w, i);
                    if (fromSource != null) {
                        return fromSource;
                    }
                }
                if (r.body() != null && readsScriptFromStdin(family, w, i)) {
                    code = r.body();
                }
            }
        }
        return code == null ? null : checkCode(family, code, depth, join(w, i));
    }

    private static boolean isCodeFlag(String family, String a) {
        if (a.startsWith("--")) {
            return a.equals("--eval") || a.equals("--print") || a.equals("--command");
        }
        char last = a.charAt(a.length() - 1);
        return switch (family) {
            case "python", "python2", "python3", "pypy", "pypy3" -> last == 'c';
            case "perl" -> last == 'e' || last == 'E';
            case "ruby", "lua", "luajit", "osascript", "Rscript", "bun", "elixir", "julia" -> a.equals("-e");
            case "node", "nodejs" -> a.equals("-e") || a.equals("-p") || a.equals("-pe");
            case "php" -> a.equals("-r");
            case "erl" -> a.equals("-eval");
            default -> a.equals("-e") || a.equals("-c");
        };
    }

    /** Runs the findings of {@link InterpreterCode} through the guard's rules. */
    private Decision.Block checkCode(String family, String code, int depth, String command) {
        if (family == null) {
            return null;
        }
        boolean backticks = family.equals("perl") || family.equals("ruby") || family.equals("php");
        InterpreterCode.Findings f = InterpreterCode.analyse(code, backticks);
        if (f.clean()) {
            return null;
        }
        for (String shell : f.shellCommands()) {
            Decision.Block b = checkNested(shell, depth);
            if (b != null) {
                return b;
            }
        }
        if (f.dynamicShell() != null) {
            return report(CommandRule.OBFUSCATED_EXEC.block(
                    family + " runs a shell command built at run time: " + f.dynamicShell(), abbreviate(command)));
        }
        if (f.deletes() != null) {
            return report(CommandRule.RECURSIVE_DELETE.block(
                    family + " deletes outside the worktree: " + f.deletes(), abbreviate(command)));
        }
        if (f.reverseShell() != null) {
            return report(
                    CommandRule.RAW_SOCKET.block(family + " code wires " + f.reverseShell(), abbreviate(command)));
        }
        if (f.runsDownloaded() != null) {
            return report(CommandRule.REMOTE_CODE_EXEC.block(
                    family + " code runs what it fetches: " + f.runsDownloaded(), abbreviate(command)));
        }
        if (f.exfiltrates() != null) {
            return report(CommandRule.SECRET_EXFILTRATION.block(
                    family + " code uses " + f.exfiltrates(), abbreviate(command)));
        }
        return null;
    }

    /** {@code awk 'BEGIN { system("…") }'}: the program is the first operand unless {@code -f} names a file. */
    private Decision.Block checkAwk(List<Word> w, int i, int depth) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.equals("-f") || a.startsWith("--file")) {
                return null;
            }
            if (a.equals("-F") || a.equals("-v")) {
                j++;
                continue;
            }
            if (a.startsWith("-") && a.length() > 1) {
                continue;
            }
            InterpreterCode.Findings f = InterpreterCode.analyse(a, false);
            for (String shell : f.shellCommands()) {
                Decision.Block b = checkNested(shell, depth);
                if (b != null) {
                    return b;
                }
            }
            if (f.dynamicShell() != null && !a.contains("getline")) {
                return report(
                        CommandRule.OBFUSCATED_EXEC.block("awk runs a shell command built at run time", join(w, i)));
            }
            return null;
        }
        return null;
    }

    private Decision.Block checkSourced(List<Word> w, int i, SimpleCommand origin, int depth) {
        for (int j = i + 1; j < w.size(); j++) {
            Decision.Block b = checkSubstitutedSource(w.get(j).substituted(), "script sourced", null, w, i);
            if (b != null) {
                return b;
            }
        }
        if (origin != null && readsScriptFromStdin(commandName(w.get(i)), w, i)) {
            for (Redirect r : origin.redirects) {
                Decision.Block b = checkSubstitutedSource(r.target().substituted(), "script sourced", null, w, i);
                if (b == null && r.body() != null) {
                    b = checkNested(r.body(), depth);
                }
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    private static final List<String> TAR_PROGRAM_OPTIONS = List.of(
            "--to-command",
            "--checkpoint-action=exec",
            "--use-compress-program",
            "-I",
            "--info-script",
            "--new-volume-script",
            "-F");
    private static final List<String> RSYNC_PROGRAM_OPTIONS = List.of("-e", "--rsh", "--rsync-path");

    /** Options whose value the tool runs as a shell command: {@code tar --to-command='…'}, {@code rsync -e '…'}. */
    private Decision.Block checkProgramOptions(List<Word> w, int i, int depth, List<String> options) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            for (String o : options) {
                String value = null;
                if (!a.startsWith(o)) {
                    continue;
                }
                if (a.length() == o.length() && j + 1 < w.size()) {
                    value = w.get(j + 1).text();
                } else if (a.length() > o.length() && a.charAt(o.length()) == '=') {
                    value = a.substring(o.length() + 1);
                }
                if (value != null) {
                    Decision.Block b = checkNested(value, depth);
                    if (b != null) {
                        return b;
                    }
                }
            }
        }
        return null;
    }

    /** {@code su -c '…'}, {@code runuser -c}, {@code script -qc '…' /dev/null}: the option's value is a command line. */
    private Decision.Block checkCommandOption(List<Word> w, int i, int depth) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("--command=")) {
                return checkNested(a.substring("--command=".length()), depth);
            }
            boolean shortC = a.startsWith("-") && !a.startsWith("--") && a.endsWith("c");
            if ((shortC || a.equals("--command")) && j + 1 < w.size()) {
                return checkNested(w.get(j + 1).text(), depth);
            }
            if (a.equals("--")) {
                // `runuser -u x -- cmd`: the rest is a command
                return checkInvocation(w, j + 1, null, depth, null);
            }
        }
        return null;
    }

    /** {@code at now <<< 'cmd'}, {@code echo cmd | at now}: at runs its input later. */
    private Decision.Block checkAt(SimpleCommand origin, int depth) {
        if (origin == null) {
            return null;
        }
        for (Redirect r : origin.redirects) {
            if (r.body() != null) {
                return checkNested(r.body(), depth);
            }
        }
        return null;
    }

    /** {@code rimraf x}, {@code trash x}: deletes recursively, judged as {@code rm -rf x}. */
    private static List<Word> asRecursiveRm(List<Word> w, int i) {
        List<Word> out = new java.util.ArrayList<>(w.size() - i + 1);
        out.add(Word.literal("rm"));
        out.add(Word.literal("-rf"));
        for (int j = i + 1; j < w.size(); j++) {
            if (!w.get(j).text().startsWith("-")) {
                out.add(w.get(j));
            }
        }
        return out;
    }

    /** {@code vim -c '!rm -rf ~'}, {@code vim +'!cmd'}: an ex command starting with ! runs a shell command. */
    private Decision.Block checkVim(List<Word> w, int i, int depth) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            String ex = null;
            if ((a.equals("-c") || a.equals("--cmd")) && j + 1 < w.size()) {
                ex = w.get(++j).text();
            } else if (a.startsWith("+")) {
                ex = a.substring(1);
            }
            if (ex != null) {
                String e = ex.startsWith(":") ? ex.substring(1).strip() : ex.strip();
                if (e.startsWith("!") || e.startsWith("call system(") || e.startsWith("r !") || e.startsWith("w !")) {
                    int bang = e.indexOf('!');
                    String cmd = bang >= 0 ? e.substring(bang + 1) : e;
                    Decision.Block b = checkNested(cmd, depth);
                    if (b != null) {
                        return b;
                    }
                }
            }
        }
        return null;
    }

    /** {@code alias x='rm -rf /'}: the alias runs its value wherever the name is used later. */
    private Decision.Block checkAlias(List<Word> w, int i, int depth) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            int eq = a.indexOf('=');
            if (eq > 0) {
                Decision.Block b = checkNested(a.substring(eq + 1), depth);
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    private Decision.Block checkEval(List<Word> w, int i, int depth) {
        for (int j = i + 1; j < w.size(); j++) {
            Decision.Block b = checkSubstitutedSource(w.get(j).substituted(), "script evaluated", null, w, i);
            if (b != null) {
                return b;
            }
        }
        return i + 1 < w.size() ? checkNested(join(w, i + 1), depth) : null;
    }

    private Decision.Block checkWatch(List<Word> w, int i, int depth) {
        int j = Wrappers.skipOptions(w, i + 1, "nq", Wrappers.WATCH_LONG_OPTIONS);
        return j < 0 ? null : checkNested(join(w, j), depth);
    }

    /** {@code ssh host 'cmd'} runs cmd in a shell on the remote host: the same rules apply there. */
    private Decision.Block checkSsh(List<Word> w, int i, int depth) {
        int host = Wrappers.skipOptions(w, i + 1, Wrappers.SSH_ARG_LETTERS, Wrappers.NO_LONG_OPTIONS);
        if (host < 0 || host + 1 >= w.size()) {
            return null;
        }
        return checkNested(join(w, host + 1), depth);
    }

    private static boolean hasDownloader(List<SimpleCommand> commands) {
        for (SimpleCommand c : commands) {
            int k = c.unwrapped();
            if (k < c.words.size() && (c.words.get(k).kind() & CommandKinds.DOWNLOADER) != 0) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- deletion, permissions, disks

    private Decision.Block checkFind(List<Word> w, int i, SimpleCommand origin, int depth) {
        boolean local = DeletionRules.findRootsLocal(w, i);
        boolean wholeTree = false;
        int expr = DeletionRules.findExpressionStart(w, i);
        int roots = 0;
        for (int j = expr; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("-") || a.equals("(") || a.equals("!")) {
                break;
            }
            roots++;
            wholeTree |= Paths.isWide(a) || Paths.isGitDir(a);
        }
        wholeTree |= roots == 0;
        boolean filtered = false;
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.equals("-delete")) {
                if (!local) {
                    return report(CommandRule.RECURSIVE_DELETE.block("find -delete outside the worktree", join(w, i)));
                }
                if (!filtered && wholeTree) {
                    return report(CommandRule.RECURSIVE_DELETE.block("find -delete of the whole tree", join(w, i)));
                }
            }
            if (a.equals("-exec") || a.equals("-execdir") || a.equals("-ok") || a.equals("-okdir")) {
                int k = j + 1;
                while (k < w.size()
                        && !w.get(k).text().equals(";")
                        && !w.get(k).text().equals("+")) {
                    k++;
                }
                DeletionRules.Feed feed = new DeletionRules.Feed(local && (filtered || !wholeTree), "{}", false);
                Decision.Block b =
                        checkInvocation(DeletionRules.fedWords(w.subList(j + 1, k), 0, feed), 0, origin, depth, feed);
                if (b != null) {
                    return b;
                }
                j = k;
                continue;
            }
            if (j >= expr && a.startsWith("-") && !DeletionRules.FIND_NON_FILTERS.contains(a)) {
                filtered = true;
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
                if (Paths.isBlockDevice(target) || Variables.hasExpansion(target)) {
                    return report(CommandRule.DISK_DESTROY.block("dd onto " + target, join(w, i)));
                }
                if (Paths.isSecret(target)) {
                    return report(CommandRule.SECRET_WRITE.block("dd into " + target, join(w, i)));
                }
                if (Paths.isSystemFile(target)) {
                    return report(CommandRule.SYSTEM_WRITE.block("dd into " + target, join(w, i)));
                }
            }
        }
        return null;
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
            if (Paths.isSystemFile(a)) {
                return report(CommandRule.SYSTEM_WRITE.block("tee into " + a, join(w, i)));
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
        if (Paths.isSystemFile(dest)) {
            return report(CommandRule.SYSTEM_WRITE.block(name + " into " + dest, join(w, i)));
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
