package dev.loopline.makers.claude;

import dev.loopline.core.guard.command.ShellScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files a shell command would write, as far as they can be read from the command itself: redirection targets,
 * and the path arguments of the common file-writing tools ({@code tee}, {@code cp}, {@code mv}, {@code touch},
 * {@code sed -i} …), also inside {@code sh -c '…'}, {@code eval} and behind wrappers ({@code sudo}, {@code env},
 * {@code timeout} …). Parsing is core's {@link ShellScript}. A target that cannot be known from the text (an
 * expansion, a path fed by {@code xargs} or {@code find -exec}) is reported as {@link Target#unknown()}; the caller
 * refuses it.
 *
 * <p>Used only once a session is tainted. It is a best effort over the tools agents use, not a sandbox: a program
 * the maker wrote and runs can still write anywhere the process may.
 */
final class ShellWrites {

    /** A path the command writes; {@code unknown} when it cannot be read from the text. */
    record Target(String path, boolean unknown) {}

    private static final int MAX_DEPTH = 4;
    private static final Set<String> SINKS = Set.of("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty");
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "busybox");
    private static final Set<String> WRAPPERS = Set.of(
            "sudo",
            "doas",
            "env",
            "nice",
            "nohup",
            "timeout",
            "command",
            "exec",
            "time",
            "stdbuf",
            "ionice",
            "setsid",
            "chronic",
            "unbuffer");
    /** Options of a wrapper that take the next word as their value ({@code sudo -u root}, {@code nice -n 5}). */
    private static final Map<String, Set<String>> WRAPPER_VALUE_OPTIONS = Map.of(
            "sudo", Set.of("-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "--user", "--group", "--chdir"),
            "doas", Set.of("-u", "-C"),
            "env", Set.of("-u", "--unset", "-C", "--chdir", "-S", "--split-string"),
            "nice", Set.of("-n", "--adjustment"),
            "timeout", Set.of("-s", "--signal", "-k", "--kill-after"),
            "stdbuf", Set.of("-i", "-o", "-e"),
            "ionice", Set.of("-c", "-n", "-p", "-t"));
    /** Options of sed and perl whose value is the script. */
    private static final Set<String> SCRIPT_OPTIONS = Set.of("-e", "-f", "-E", "--expression", "--file");
    /** Every operand is written (or removed). */
    private static final Set<String> ALL_OPERANDS =
            Set.of("tee", "touch", "mkdir", "rm", "rmdir", "unlink", "shred", "mv", "mkfifo", "mknod");
    /** Written after a first operand that is not a path (mode, owner, size). */
    private static final Set<String> AFTER_FIRST = Set.of("chmod", "chown", "chgrp", "truncate");
    /** The last operand, or {@code -t DIR}, is written. */
    private static final Set<String> LAST_OPERAND = Set.of("cp", "ln", "install", "rsync", "scp");

    private ShellWrites() {}

    /**
     * @throws IllegalArgumentException when the command cannot be parsed (the command guard blocks it anyway)
     */
    static List<Target> of(String command) {
        List<Target> out = new ArrayList<>();
        collect(command, 0, out);
        return out;
    }

    private static void collect(String script, int depth, List<Target> out) {
        if (depth > MAX_DEPTH) {
            out.add(new Target(script, true));
            return;
        }
        for (ShellScript.Command command : ShellScript.commands(script)) {
            for (int i = 0; i < command.writes().size(); i++) {
                add(command.writes().get(i), command.writesExpanded().get(i), out);
            }
            operands(command, depth, out);
        }
    }

    private static void operands(ShellScript.Command command, int depth, List<Target> out) {
        List<String> words = command.words();
        int i = skipWrappers(words);
        if (i >= words.size()) {
            return;
        }
        String name = basename(words.get(i));
        List<Integer> operands = operandIndexes(words, i + 1);
        if (SHELLS.contains(name)) {
            int c = words.indexOf("-c");
            if (c > i && c + 1 < words.size()) {
                nested(words.get(c + 1), command.expanded().get(c + 1), depth, out);
            }
        } else if (name.equals("eval")) {
            nested(
                    String.join(" ", words.subList(i + 1, words.size())),
                    command.expanded().contains(true),
                    depth,
                    out);
        } else if (name.equals("xargs") || (name.equals("find") && hasExec(words))) {
            // the paths come from input or from the file system: they cannot be checked here
            if (writesThrough(words, i + 1)) {
                out.add(new Target(String.join(" ", words), true));
            }
        } else if (ALL_OPERANDS.contains(name)) {
            operands.forEach(o -> add(words.get(o), command.expanded().get(o), out));
        } else if (AFTER_FIRST.contains(name)) {
            operands.stream()
                    .skip(1)
                    .forEach(o -> add(words.get(o), command.expanded().get(o), out));
        } else if (LAST_OPERAND.contains(name)) {
            int target = targetDirectory(words, i + 1);
            if (target >= 0) {
                add(words.get(target), command.expanded().get(target), out);
            } else if (operands.size() >= 2) {
                int last = operands.get(operands.size() - 1);
                add(words.get(last), command.expanded().get(last), out);
            }
        } else if (name.equals("dd")) {
            for (int w = i + 1; w < words.size(); w++) {
                if (words.get(w).startsWith("of=")) {
                    add(words.get(w).substring(3), command.expanded().get(w), out);
                }
            }
        } else if ((name.equals("sed") || name.equals("perl")) && inPlace(words, i + 1)) {
            inPlaceFiles(command, i + 1, out);
        }
    }

    /** The files of {@code sed -i} / {@code perl -i}: operands, less the script when no -e / -f gave it. */
    private static void inPlaceFiles(ShellScript.Command command, int from, List<Target> out) {
        List<String> words = command.words();
        List<Integer> files = new ArrayList<>();
        boolean scriptGiven = false;
        for (int w = from; w < words.size(); w++) {
            String word = words.get(w);
            if (SCRIPT_OPTIONS.contains(word)) {
                scriptGiven = true;
                w++; // its value is the script, not a file
            } else if (word.startsWith("--expression=") || word.startsWith("--file=")) {
                scriptGiven = true;
            } else if (!word.startsWith("-") || word.equals("-")) {
                files.add(w);
            }
        }
        files.stream()
                .skip(scriptGiven ? 0 : 1)
                .forEach(f -> add(words.get(f), command.expanded().get(f), out));
    }

    private static void nested(String script, boolean expanded, int depth, List<Target> out) {
        if (expanded) {
            out.add(new Target(script, true));
            return;
        }
        collect(script, depth + 1, out);
    }

    private static void add(String path, boolean expanded, List<Target> out) {
        if (SINKS.contains(path) || path.startsWith("/dev/fd/")) {
            return;
        }
        boolean unknown = expanded || path.startsWith("~") || path.indexOf('$') >= 0 || path.indexOf('`') >= 0;
        out.add(new Target(path, unknown));
    }

    private static int skipWrappers(List<String> words) {
        int i = 0;
        while (i < words.size() && WRAPPERS.contains(basename(words.get(i)))) {
            String wrapper = basename(words.get(i));
            Set<String> valued = WRAPPER_VALUE_OPTIONS.getOrDefault(wrapper, Set.of());
            i++;
            while (i < words.size()
                    && (words.get(i).startsWith("-") || words.get(i).contains("="))) {
                i += valued.contains(words.get(i)) ? 2 : 1;
            }
            if (wrapper.equals("timeout") && i < words.size()) {
                i++; // the duration
            }
        }
        return i;
    }

    /** Indexes of the words after {@code from} that are not options ({@code --} ends the options). */
    private static List<Integer> operandIndexes(List<String> words, int from) {
        List<Integer> out = new ArrayList<>();
        boolean options = true;
        for (int w = from; w < words.size(); w++) {
            String word = words.get(w);
            if (options && word.equals("--")) {
                options = false;
            } else if (!options || !word.startsWith("-") || word.equals("-")) {
                out.add(w);
            }
        }
        return out;
    }

    private static int targetDirectory(List<String> words, int from) {
        for (int w = from; w < words.size(); w++) {
            if ((words.get(w).equals("-t") || words.get(w).equals("--target-directory")) && w + 1 < words.size()) {
                return w + 1;
            }
        }
        return -1;
    }

    private static boolean hasExec(List<String> words) {
        return words.contains("-exec")
                || words.contains("-execdir")
                || words.contains("-ok")
                || words.contains("-okdir");
    }

    /** Whether xargs / find -exec runs a file-writing tool. */
    private static boolean writesThrough(List<String> words, int from) {
        for (int w = from; w < words.size(); w++) {
            String name = basename(words.get(w));
            if (ALL_OPERANDS.contains(name)
                    || AFTER_FIRST.contains(name)
                    || LAST_OPERAND.contains(name)
                    || SHELLS.contains(name)
                    || name.equals("dd")
                    || name.equals("sed")
                    || name.equals("perl")) {
                return true;
            }
        }
        return false;
    }

    private static boolean inPlace(List<String> words, int from) {
        for (String w : words.subList(from, words.size())) {
            // -i, -i.bak, --in-place, and short options bundled with it (sed -ni, perl -pi)
            if (w.startsWith("--in-place") || (w.startsWith("-") && !w.startsWith("--") && w.indexOf('i') > 0)) {
                return true;
            }
        }
        return false;
    }

    private static String basename(String word) {
        int slash = word.lastIndexOf('/');
        return slash >= 0 && slash < word.length() - 1 ? word.substring(slash + 1) : word;
    }
}
