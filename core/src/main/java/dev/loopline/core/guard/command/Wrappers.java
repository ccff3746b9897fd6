package dev.loopline.core.guard.command;

import java.util.List;
import java.util.Set;

/**
 * Commands that run another command ({@code sudo}, {@code env}, {@code command}, {@code exec}, {@code nohup},
 * {@code timeout}, {@code xargs}, {@code busybox}…): where the wrapped command starts, after the wrapper's own
 * options. Pure functions over parsed words.
 */
final class Wrappers {
    private Wrappers() {}

    static final int NOT_A_WRAPPER = -1;
    static final int NO_COMMAND = -2;
    static final Set<String> NO_LONG_OPTIONS = Set.of();
    static final Set<String> WATCH_LONG_OPTIONS = Set.of("--interval");
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
    static final String SSH_ARG_LETTERS = "BbcDEeFIiJLlmOoPpQRSWw";

    static int skipAssignments(List<Word> w, int i) {
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
            int next = wrapped(CommandAnalyzer.commandName(w.get(i)), w, i);
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
     * If {@code name} runs another command, the index of that command's first word, {@link #NO_COMMAND} when the
     * wrapper runs nothing here, or {@link #NOT_A_WRAPPER}.
     */
    static int wrapped(String name, List<Word> w, int i) {
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
            case "setsid",
                    "pkexec",
                    "torsocks",
                    "proxychains",
                    "proxychains4",
                    "caffeinate",
                    "chronic",
                    "unshare",
                    "setpriv",
                    "firejail",
                    "strace",
                    "ltrace",
                    "nsenter",
                    "systemd-run",
                    "npx",
                    "bunx",
                    "pnpx" -> skipOptions(w, i + 1, "opuUsSeEIp", NO_LONG_OPTIONS);
            case "chrt", "taskset", "chroot", "flock" -> {
                // one positional argument (priority, CPU mask, new root, lock file) before the command
                int j = skipOptions(w, i + 1, "", NO_LONG_OPTIONS);
                yield j < 0 || j + 1 >= w.size() ? NO_COMMAND : skipOptions(w, j + 1, "", NO_LONG_OPTIONS);
            }
            case "npm", "pnpm", "yarn", "bun" -> {
                String sub = i + 1 < w.size() ? w.get(i + 1).text() : "";
                yield sub.equals("exec") || sub.equals("x") || sub.equals("dlx")
                        ? skipOptions(w, i + 2, "p", NO_LONG_OPTIONS)
                        : NOT_A_WRAPPER;
            }
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
    static int skipOptions(List<Word> w, int j, String argLetters, Set<String> longWithArg) {
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
    static String envSplitString(List<Word> w, int i) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (!a.startsWith("-") || a.equals("--")) {
                return null;
            }
            if (a.startsWith("--split-string=")) {
                return a.substring("--split-string=".length()) + " " + CommandAnalyzer.join(w, j + 1);
            }
            if (a.equals("-S") || a.equals("--split-string")) {
                return j + 1 < w.size() ? CommandAnalyzer.join(w, j + 1) : null;
            }
            if (a.startsWith("-S")) {
                return a.substring(2) + " " + CommandAnalyzer.join(w, j + 1);
            }
            if (a.equals("-u") || a.equals("-C") || a.equals("--unset") || a.equals("--chdir")) {
                j++;
            }
        }
        return null;
    }
}
