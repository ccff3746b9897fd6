package dev.loopline.core.guard.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One shared, immutable {@link Word} for each plain word the rules name (command names, wrappers, git
 * subcommands, reserved words) and for everyday command names and short options. The lexer hands these out instead
 * of a new word: no allocation, and the hash, program name and {@link CommandKinds} of the word are already known,
 * which the rules ask of every command name. The words' lazily cached fields are all filled here, before the table
 * is published, so sharing them between threads is safe.
 */
final class KnownWords {
    private KnownWords() {}

    /** Names that appear in the rules' {@code switch}es and everyday commands of an agent's shell. */
    private static final String[] OTHERS = {
        // reserved words and operators the parser and rules look at
        "!",
        "{",
        "}",
        "[[",
        "]]",
        "if",
        "then",
        "elif",
        "else",
        "fi",
        "for",
        "select",
        "in",
        "do",
        "done",
        "while",
        "until",
        "case",
        "esac",
        "function",
        "--",
        "-",
        "[",
        "]",
        "test",
        "true",
        "false",
        ":",
        // commands with their own rules, and wrappers
        "git",
        "rm",
        "find",
        "chmod",
        "chown",
        "chgrp",
        "dd",
        "tee",
        "cp",
        "mv",
        "install",
        "ln",
        "rsync",
        "eval",
        "source",
        ".",
        "alias",
        "su",
        "runuser",
        "sg",
        "script",
        "at",
        "batch",
        "rimraf",
        "trash",
        "srm",
        "vim",
        "vi",
        "nvim",
        "ex",
        "watch",
        "ssh",
        "awk",
        "trap",
        "command",
        "builtin",
        "nohup",
        "exec",
        "sudo",
        "doas",
        "env",
        "nice",
        "ionice",
        "setsid",
        "timeout",
        "time",
        "xargs",
        "stdbuf",
        "flock",
        "chroot",
        "export",
        "declare",
        "local",
        "readonly",
        "typeset",
        "set",
        "unset",
        "echo",
        "printf",
        "mktemp",
        "which",
        "type",
        // git subcommands
        "status",
        "diff",
        "add",
        "commit",
        "push",
        "pull",
        "fetch",
        "log",
        "show",
        "checkout",
        "switch",
        "branch",
        "reset",
        "rebase",
        "merge",
        "stash",
        "tag",
        "remote",
        "config",
        "clean",
        "init",
        "clone",
        "restore",
        "reflog",
        "update-ref",
        "cherry-pick",
        "revert",
        "ls-files",
        "blame",
        "origin",
        "main",
        "master",
        "HEAD",
        // everyday commands of a build loop
        "cd",
        "ls",
        "pwd",
        "mkdir",
        "touch",
        "cat",
        "head",
        "tail",
        "grep",
        "wc",
        "sort",
        "uniq",
        "sed",
        "jq",
        "tar",
        "zip",
        "unzip",
        "make",
        "mvn",
        "./mvnw",
        "gradle",
        "./gradlew",
        "java",
        "javac",
        "npm",
        "npx",
        "yarn",
        "pnpm",
        "node",
        "python",
        "python3",
        "pip",
        "pip3",
        "pytest",
        "go",
        "cargo",
        "rustc",
        "docker",
        "kubectl",
        "gh",
        "curl",
        "wget",
        "bash",
        "sh",
        "run",
        "build",
        "test",
        "ci",
        "package",
        "verify",
        // short options
        "-a",
        "-b",
        "-c",
        "-d",
        "-e",
        "-f",
        "-h",
        "-i",
        "-k",
        "-l",
        "-m",
        "-n",
        "-o",
        "-p",
        "-q",
        "-r",
        "-s",
        "-t",
        "-u",
        "-v",
        "-x",
        "-z",
        "-A",
        "-B",
        "-C",
        "-D",
        "-E",
        "-F",
        "-I",
        "-L",
        "-O",
        "-P",
        "-R",
        "-S",
        "-T",
        "-X",
        "-rf",
        "-fr",
        "-la",
        "-al",
        "-rn",
        "-lh",
        "-fsSL",
        "-sSL",
        "-sS",
        "--force",
        "--hard",
        "--version",
        "--help",
        "--quiet",
        "--verbose",
        "--oneline",
        "--stat",
        "--porcelain",
        "/",
        "~",
        "*",
        "./",
        "2>&1"
    };

    /** Open addressing, linear probing; a slot's hash is compared before its text. */
    private static final Word[] WORDS;

    private static final String[] TEXTS;
    private static final int[] HASHES;
    private static final int MASK;

    static {
        List<String> names = new ArrayList<>();
        for (Set<String> set : List.of(
                CommandAnalyzer.SHELLS,
                CommandAnalyzer.INTERPRETERS,
                CommandAnalyzer.DOWNLOADERS,
                NetworkCommands.CLIENTS,
                Exfiltration.READERS,
                DiskTools.NAMES,
                GeneratedText.TRANSFORMERS,
                GeneratedText.OPTION_DECODERS)) {
            names.addAll(set);
        }
        names.addAll(List.of(OTHERS));
        int size = Integer.highestOneBit(names.size() * 4 - 1) << 1;
        Word[] table = new Word[size];
        for (String name : names) {
            if (!isPlain(name)) {
                continue; // the lexer only looks up words of plain characters
            }
            int i = slot(name.hashCode(), size - 1);
            while (table[i] != null && !table[i].text().equals(name)) {
                i = (i + 1) & (size - 1);
            }
            if (table[i] == null) {
                Word w = Word.literal(name);
                // fill every lazily cached field now, so the shared word is never written again
                w.commandName();
                w.kind();
                w.isAssignment();
                table[i] = w;
            }
        }
        WORDS = table;
        TEXTS = new String[size];
        HASHES = new int[size];
        for (int i = 0; i < size; i++) {
            if (table[i] != null) {
                TEXTS[i] = table[i].text();
                HASHES[i] = TEXTS[i].hashCode();
            }
        }
        MASK = size - 1;
    }

    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!ShellParser.isPlainWordChar(s.charAt(i))) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static int slot(int hash, int mask) {
        return (hash ^ (hash >>> 16)) & mask;
    }

    /**
     * The shared word for {@code src[from, to)}, whose {@link String#hashCode} is {@code hash}, or null when it is
     * not a known word.
     */
    static Word find(String src, int from, int to, int hash) {
        int len = to - from;
        for (int i = slot(hash, MASK); ; i = (i + 1) & MASK) {
            String t = TEXTS[i];
            if (t == null) {
                return null;
            }
            if (HASHES[i] == hash && t.length() == len && src.regionMatches(from, t, 0, len)) {
                return WORDS[i];
            }
        }
    }
}
