package dev.loopline.core.guard.command;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a command name is to the rules (a shell, an interpreter, a downloader, a network sink, a disk tool, a
 * file reader, a decoder), as bit flags from one table: a single hash lookup per command instead of one set probe
 * per rule, and none of the rules' work for the everyday names that are none of these.
 */
final class CommandKinds {
    private CommandKinds() {}

    static final int SHELL = 1;
    static final int INTERPRETER = 1 << 1;
    static final int DOWNLOADER = 1 << 2;
    static final int SINK = 1 << 3;
    static final int DISK = 1 << 4;
    static final int READER = 1 << 5;
    static final int DECODER = 1 << 6;
    /** Checked by {@link HostRules}: privilege, the host, publishing, remote deletion. */
    static final int HOST = 1 << 7;

    private static final Map<String, Integer> KINDS = new HashMap<>(512);
    /**
     * A necessary condition before the hash lookup: one bit per (first character, last character, length) of
     * the known names. Most names of everyday commands miss it and cost no hashing at all.
     */
    private static final long[] SHAPES = new long[16];

    static {
        add(CommandAnalyzer.SHELLS, SHELL);
        add(CommandAnalyzer.INTERPRETERS, INTERPRETER);
        add(CommandAnalyzer.DOWNLOADERS, DOWNLOADER);
        add(Exfiltration.SINKS, SINK);
        add(DiskTools.NAMES, DISK);
        add(Exfiltration.READERS, READER);
        add(GeneratedText.TRANSFORMERS, DECODER);
        add(GeneratedText.OPTION_DECODERS, DECODER);
        add(HostRules.NAMES, HOST);
    }

    private static void add(Set<String> names, int kind) {
        for (String n : names) {
            KINDS.merge(n, kind, (a, b) -> a | b);
            int shape = shape(n);
            SHAPES[shape >>> 6] |= 1L << (shape & 63);
        }
    }

    private static int shape(String n) {
        int len = n.length();
        return len == 0 ? 0 : ((n.charAt(0) * 31 + n.charAt(len - 1)) * 7 + len) & 1023;
    }

    /** The kinds of {@code name}: 0 for a name no rule treats specially. */
    static int of(String name) {
        int shape = shape(name);
        if ((SHAPES[shape >>> 6] & (1L << (shape & 63))) != 0) {
            Integer k = KINDS.get(name);
            if (k != null) {
                return k;
            }
        }
        if (name.startsWith("mkfs")) {
            return DISK;
        }
        int n = name.length();
        if (n > 1 && (Character.isDigit(name.charAt(n - 1)))) {
            return CommandAnalyzer.interpreterName(name) != null ? INTERPRETER : 0;
        }
        return 0;
    }

    static boolean is(String name, int kind) {
        return (of(name) & kind) != 0;
    }
}
