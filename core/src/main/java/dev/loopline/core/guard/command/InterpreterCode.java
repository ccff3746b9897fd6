package dev.loopline.core.guard.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Looks inside the code of interpreter one-liners ({@code python -c}, {@code node -e}, {@code perl -e},
 * {@code ruby -e}, {@code php -r}, {@code awk '...'}, heredocs fed to an interpreter). It does not parse the
 * language: it finds the calls that matter (shell execution, file deletion, network, environment and file
 * reads) by name, and reads their string-literal arguments. Shell strings it finds are handed back to the
 * command guard; a shell call whose argument is not a literal cannot be checked and is reported as such.
 */
final class InterpreterCode {
    private InterpreterCode() {}

    /** What the code does that the guard cares about. */
    record Findings(
            List<String> shellCommands,
            String dynamicShell,
            String runsDownloaded,
            String deletes,
            String exfiltrates,
            String reverseShell) {
        boolean clean() {
            return shellCommands.isEmpty()
                    && dynamicShell == null
                    && runsDownloaded == null
                    && deletes == null
                    && exfiltrates == null
                    && reverseShell == null;
        }
    }

    /** Generic names ({@code s.run('…')}, {@code call}): their literal argument is checked, other arguments not. */
    private static final String[] LOOSE_SHELL_CALLS = {"run", "call", "check_output", "getoutput", "Popen", "spawn"};

    /** Modules through which code runs shell commands; with one of them a non-literal command is not checkable. */
    private static final String[] SHELL_MODULES = {
        "subprocess",
        "child_process",
        "os.system",
        "os.popen",
        "os.exec",
        "os.spawn",
        "pty",
        "Open3",
        "Runtime",
        "commands",
        "shelljs",
        "execa",
        "zx"
    };

    /** Calls that run code, and decoders: together they run text that cannot be read here. */
    private static final String[] CODE_EVAL = {"eval(", "exec(", "Function(", "compile(", "instance_eval", "assert("};

    /**
     * Running code as code, for code that also fetches from the network: {@link #CODE_EVAL} and the bare forms perl
     * and ruby write without parentheses. A method of another object ({@code /re/.exec(s)}, {@code re.compile(p)}) is
     * not one of these; see {@link #firstUnqualified}.
     */
    private static final String[] EVAL_OF_FETCHED = {
        "eval(",
        "exec(",
        "Function(",
        "compile(",
        "instance_eval",
        "assert(",
        // perl and ruby without parentheses; not `eval { … }`, perl's exception block
        "eval get",
        "eval open",
        "eval URI",
        "eval Net::",
        "eval LWP::",
        "eval HTTP::",
        "eval $"
    };

    /** Running code as code through a method or a callback: node's vm module, eval handed to a promise. */
    private static final String[] EVAL_METHODS = {"runInThisContext", "runInNewContext", "runInContext", "(eval)"};

    private static final String[] DECODERS = {
        "b64decode",
        "a85decode",
        "b32decode",
        "atob(",
        "'base64'",
        "\"base64\"",
        "decode_base64",
        "base64_decode",
        "unpack(\"m",
        "unpack('m",
        "unpack1(\"m",
        "unpack1('m",
        "fromhex",
        "codecs.decode",
        "zlib.decompress",
        "fromCharCode",
        "gzinflate",
        "str_rot13",
        "unhexlify",
        "[::-1]",
        "rot13",
        "FromBase64String"
    };

    /** Reading standard input: with eval/exec, the code runs whatever is piped in. */
    private static final String[] STDIN_READS = {
        "sys.stdin",
        "process.stdin",
        "STDIN",
        "$stdin",
        "php://stdin",
        "readFileSync(0",
        "readFileSync('/dev/stdin'",
        "input()",
        "<>"
    };

    /** A network connection wired to a shell: the classic reverse shell. */
    private static final String[] SHELL_WIRING = {
        "dup2", "pty.spawn", "/bin/sh", "/bin/bash", "/bin/zsh", "cmd.exe", "sh -i", "bash -i", "fileno()"
    };

    /** Calls whose (first) argument is a shell command line. */
    private static final String[] SHELL_CALLS = {
        "system",
        "popen",
        "popen2",
        "popen3",
        "getoutput",
        "getstatusoutput",
        "check_output",
        "check_call",
        "subprocess.run",
        "subprocess.call",
        "subprocess.Popen",
        "Popen",
        "execSync",
        "exec",
        "execFile",
        "execFileSync",
        "spawn",
        "spawnSync",
        "shell_exec",
        "passthru",
        "proc_open",
        "pcntl_exec",
        "qx",
        "spawnv",
        "spawnvp",
        "execv",
        "execvp",
        "execl",
        "execlp",
        "pty.spawn",
        "Runtime.getRuntime().exec",
        "capture2",
        "capture2e",
        "capture3",
        "pipeline_r"
    };

    /** Calls that delete files or trees; their path argument is checked like an {@code rm -r} operand. */
    private static final String[] DELETE_CALLS = {
        "rmtree",
        "remove",
        "unlink",
        "rmdir",
        "removedirs",
        "rmSync",
        "rmdirSync",
        "unlinkSync",
        "rm",
        "rm_rf",
        "rm_r",
        "rm_f",
        "remove_dir",
        "remove_entry",
        "remove_entry_secure",
        "remove_tree",
        "delete",
        "removeSync",
        "emptyDir",
        "emptyDirSync",
        "rimraf",
        "Remove-Item"
    };

    private static final String[] NETWORK = {
        "urllib",
        "urlopen",
        "requests.",
        "http.client",
        "httplib",
        "socket",
        "httpx",
        "aiohttp",
        "http.request",
        "https.request",
        "http.get",
        "https.get",
        "http.post",
        "fetch(",
        "net.connect",
        "createConnection",
        "XMLHttpRequest",
        "axios",
        "LWP",
        "IO::Socket",
        "HTTP::Tiny",
        "Net::HTTP",
        "Net::FTP",
        "open-uri",
        "URI.open",
        "curl_init",
        "curl_exec",
        "file_get_contents('http",
        "file_get_contents(\"http",
        "fopen('http",
        "fopen(\"http",
        "fsockopen",
        "stream_socket_client",
        "TCPSocket",
        "UDPSocket",
        "dgram",
        "smtplib",
        "ftplib",
        "paramiko",
        "Invoke-WebRequest",
        "Invoke-RestMethod",
        "WebClient",
        "iwr",
        "irm",
        "dns.resolve",
        "dns.lookup",
        "gethostbyname",
        "Socket",
        "('http')",
        "('https')",
        "(\"http\")",
        "(\"https\")",
        "('net')",
        "(\"net\")",
        "('node:http')",
        "('node:https')",
        "('node:net')",
        "('dgram')",
        "WebSocket"
    };

    private static final String[] SECRET_SOURCES = {
        "os.environ",
        "environ",
        "getenv",
        "process.env",
        "ENV[",
        "ENV.",
        "ENV{",
        "%ENV",
        "$_ENV",
        "$_SERVER",
        "Deno.env",
        "Bun.env",
        "$env:",
        "open(",
        "readFile",
        "readFileSync",
        "read_text",
        "read_bytes",
        "File.read",
        "IO.read",
        "file_get_contents",
        "fopen",
        "slurp",
        "Get-Content"
    };

    private static final String[] HOME_APIS = {
        "expanduser",
        "Path.home",
        "homedir",
        "os.environ['HOME']",
        "os.environ[\"HOME\"]",
        "getenv('HOME')",
        "getenv(\"HOME\")",
        "process.env.HOME",
        "ENV['HOME']",
        "ENV[\"HOME\"]",
        "$ENV{HOME}",
        "Dir.home",
        "$HOME",
        "File.expand_path('~",
        "File.expand_path(\"~",
        "os.homedir",
        "USERPROFILE"
    };

    static Findings analyse(String code, boolean backticksRunShell) {
        List<String> shells = new ArrayList<>(1);
        String dynamic = null;
        boolean strict = backticksRunShell || firstToken(code, SHELL_MODULES) != null;
        for (String call : SHELL_CALLS) {
            int from = 0;
            int at;
            while ((at = findCall(code, call, from)) >= 0) {
                int arg = at + call.length();
                from = arg;
                String literal = firstArgument(code, arg);
                if (literal == null) {
                    if (dynamic == null && strict) {
                        dynamic = call + "(...)";
                    }
                } else if (!literal.isEmpty()) {
                    shells.add(literal);
                }
            }
        }
        for (String call : LOOSE_SHELL_CALLS) {
            int from = 0;
            int at;
            while ((at = findCall(code, call, from)) >= 0) {
                from = at + call.length();
                String literal = firstArgument(code, from);
                if (literal != null && !literal.isEmpty()) {
                    shells.add(literal);
                }
            }
        }
        if (backticksRunShell) {
            collectBackticks(code, shells);
        }
        if (dynamic == null) {
            String eval = firstToken(code, CODE_EVAL);
            String source = eval == null ? null : firstToken(code, DECODERS);
            if (source == null && eval != null) {
                source = firstToken(code, STDIN_READS);
            }
            if (source != null) {
                dynamic = eval + source;
            }
        }
        String net = firstToken(code, NETWORK);
        String runsDownloaded = null;
        if (net != null) {
            // python -c "exec(urlopen(u).read())", node -e "fetch(u).then(r => r.text()).then(eval)"
            String eval = firstUnqualified(code, EVAL_OF_FETCHED);
            if (eval == null) {
                eval = firstToken(code, EVAL_METHODS);
            }
            if (eval != null) {
                runsDownloaded = eval.strip() + " with " + net;
            }
        }
        String deletes = null;
        if (containsCall(code, DELETE_CALLS) || firstToken(code, BARE_DELETES) != null) {
            deletes = outsidePath(code);
        }
        String exfiltrates = null;
        String reverse = null;
        if (net != null) {
            String src = firstToken(code, SECRET_SOURCES);
            if (src == null) {
                src = credentialLiteral(code);
            }
            if (src != null) {
                exfiltrates = net + " with " + src;
            }
            String wiring = firstToken(code, SHELL_WIRING);
            if (wiring != null) {
                reverse = net + " with " + wiring;
            }
        }
        return new Findings(shells, dynamic, runsDownloaded, deletes, exfiltrates, reverse);
    }

    /** Deletion calls that perl and ruby also write without parentheses ({@code unlink glob "/etc/*"}). */
    private static final String[] BARE_DELETES = {
        "rmtree", "remove_tree", "unlink", "rm_rf", "rm_r", "rmSync", "rmdirSync", "unlinkSync", "rimraf", "rmdir"
    };

    /** Index of {@code name} as a called identifier ({@code name(}, {@code name (}, or perl's {@code system "x"}). */
    private static int findCall(String code, String name, int from) {
        int at = from;
        int n = code.length();
        while ((at = code.indexOf(name, at)) >= 0) {
            int after = at + name.length();
            boolean startOk = at == 0 || !isIdentChar(code.charAt(at - 1));
            boolean endOk = after >= n || !isIdentChar(code.charAt(after));
            int k = after;
            while (k < n && code.charAt(k) == ' ') {
                k++;
            }
            char next = k < n ? code.charAt(k) : 0;
            boolean bareCall = (name.equals("system") || name.equals("exec") || name.equals("qx"))
                    && (next == '"' || next == '\'' || next == '{' || next == '/');
            if (startOk && endOk && (next == '(' || bareCall)) {
                return at;
            }
            at = after;
        }
        return -1;
    }

    private static boolean containsCall(String code, String[] names) {
        for (String n : names) {
            if (findCall(code, n, 0) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The string literals of the call's first argument, joined by spaces (a list of strings is an argv); the
     * empty string when there is no argument; null when the argument is not made of literals.
     */
    private static String firstArgument(String code, int k) {
        int n = code.length();
        while (k < n && code.charAt(k) == ' ') {
            k++;
        }
        if (k < n && (code.charAt(k) == '(' || code.charAt(k) == '{')) {
            k++;
        }
        while (k < n && code.charAt(k) == ' ') {
            k++;
        }
        if (k >= n) {
            return "";
        }
        char c = code.charAt(k);
        if (c == ')') {
            return "";
        }
        if (c == '[') {
            return argvList(code, k);
        }
        if ((c == 'r' || c == 'b' || c == 'u') && k + 1 < n && isQuote(code.charAt(k + 1))) {
            k++;
        }
        int end = literalEnd(code, k);
        if (end < 0) {
            return null;
        }
        // a literal followed by `+`, `%` or `.format` is built at run time
        int after = end + 1;
        while (after < n && code.charAt(after) == ' ') {
            after++;
        }
        if (after < n && (code.charAt(after) == '+' || code.charAt(after) == '%' || code.charAt(after) == '.')) {
            return null;
        }
        String first = code.substring(k + 1, end);
        // spawn('rm', ['-rf', '/']), execl('/bin/rm', 'rm', '-rf', '/'): a program and its argv
        StringBuilder argv = null;
        int next = after;
        while (next < n && code.charAt(next) == ',') {
            next++;
            while (next < n && code.charAt(next) == ' ') {
                next++;
            }
            if (next < n && code.charAt(next) == '[') {
                String rest = argvList(code, next);
                if (rest == null) {
                    break;
                }
                argv = argv == null ? new StringBuilder(quote(first)) : argv;
                argv.append(' ').append(rest);
                break;
            }
            int litEnd = literalEnd(code, next);
            if (litEnd < 0) {
                break;
            }
            argv = argv == null ? new StringBuilder(quote(first)) : argv;
            argv.append(' ').append(quote(code.substring(next + 1, litEnd)));
            next = litEnd + 1;
            while (next < n && code.charAt(next) == ' ') {
                next++;
            }
        }
        return argv == null ? first : argv.toString();
    }

    /** The string literals of a list {@code ['a', 'b c']}, each quoted for the shell; null when not all literals. */
    private static String argvList(String code, int k) {
        StringBuilder out = new StringBuilder();
        k++;
        while (k < code.length()) {
            char d = code.charAt(k);
            if (d == ']') {
                return out.toString();
            }
            if (d == ' ' || d == ',') {
                k++;
                continue;
            }
            int end = literalEnd(code, k);
            if (end < 0) {
                return null;
            }
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(quote(code.substring(k + 1, end)));
            k = end + 1;
        }
        return null;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'' || c == '`';
    }

    /** Index of the closing quote of the literal starting at {@code k}, or -1 when {@code k} is not a quote. */
    private static int literalEnd(String code, int k) {
        if (k >= code.length() || !isQuote(code.charAt(k))) {
            return -1;
        }
        char q = code.charAt(k);
        for (int j = k + 1; j < code.length(); j++) {
            char c = code.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == q) {
                return j;
            }
        }
        return -1;
    }

    private static void collectBackticks(String code, List<String> shells) {
        int k = 0;
        while ((k = code.indexOf('`', k)) >= 0) {
            int end = code.indexOf('`', k + 1);
            if (end < 0) {
                return;
            }
            shells.add(code.substring(k + 1, end));
            k = end + 1;
        }
        for (String form : new String[] {"%x(", "%x{", "qx(", "qx{", "qx/"}) {
            int at = 0;
            while ((at = code.indexOf(form, at)) >= 0) {
                char close =
                        switch (form.charAt(2)) {
                            case '(' -> ')';
                            case '{' -> '}';
                            default -> '/';
                        };
                int end = code.indexOf(close, at + 3);
                if (end < 0) {
                    break;
                }
                shells.add(code.substring(at + 3, end));
                at = end + 1;
            }
        }
    }

    /** A string literal in the code naming a path outside the worktree (or the worktree as a whole), or a home API. */
    private static String outsidePath(String code) {
        String home = firstToken(code, HOME_APIS);
        if (home != null) {
            return home;
        }
        int k = 0;
        while (k < code.length()) {
            char c = code.charAt(k);
            if (c == '"' || c == '\'') {
                int end = literalEnd(code, k);
                if (end < 0) {
                    return null;
                }
                String lit = code.substring(k + 1, end);
                if (Paths.isOutsideWorktree(lit) || Paths.isGitDir(lit) || isWholeTree(lit)) {
                    return "'" + lit + "'";
                }
                k = end + 1;
            } else {
                k++;
            }
        }
        return null;
    }

    private static boolean isWholeTree(String lit) {
        return lit.equals(".") || lit.equals("./") || lit.equals("*") || lit.equals("**");
    }

    private static String credentialLiteral(String code) {
        int k = 0;
        while (k < code.length()) {
            char c = code.charAt(k);
            if (c == '"' || c == '\'') {
                int end = literalEnd(code, k);
                if (end < 0) {
                    return null;
                }
                String lit = code.substring(k + 1, end);
                if (Paths.isCredentialStore(lit) || Paths.isSecret(lit)) {
                    return lit;
                }
                k = end + 1;
            } else {
                k++;
            }
        }
        return null;
    }

    private static String firstToken(String code, String[] tokens) {
        for (String t : tokens) {
            int at = code.indexOf(t);
            while (at >= 0) {
                boolean boundary = at == 0 || !isIdentChar(t.charAt(0)) || !isIdentChar(code.charAt(at - 1));
                if (boundary) {
                    return t;
                }
                at = code.indexOf(t, at + 1);
            }
        }
        return null;
    }

    /** Like {@link #firstToken}, but skips occurrences that are a method of another object ({@code x.exec(}). */
    private static String firstUnqualified(String code, String[] tokens) {
        for (String t : tokens) {
            int at = code.indexOf(t);
            while (at >= 0) {
                char before = at == 0 ? ' ' : code.charAt(at - 1);
                boolean boundary = !isIdentChar(t.charAt(0)) || (!isIdentChar(before) && before != '.');
                if (boundary) {
                    return t;
                }
                at = code.indexOf(t, at + 1);
            }
        }
        return null;
    }

    private static boolean isIdentChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
