package dev.loopline.core.check;

import dev.loopline.core.io.TestSandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why a test that failed in the sandbox may have failed: the messages tools print when the sandbox denies
 * them something, read from the output's tail. Only a hint for the human or the maker reading the verdict —
 * the verdict itself is decided by the exit code.
 */
final class SandboxHints {

    static final String NETWORK = "the sandbox denies network access";
    static final String READ_ONLY = "the sandbox makes everything outside the checkout and /tmp read-only";
    static final String HIDDEN = "the sandbox hides home directories, credentials and other checkouts";
    static final String DENIED = "the sandbox denies access outside the checkout";

    /** Lower-cased messages of a denied network access: libc, curl, wget, git, Java, Python, Node, Go. */
    private static final List<String> NETWORK_MARKERS = List.of(
            "network is unreachable",
            "could not resolve host",
            "couldn't connect",
            "failed to connect",
            "connection refused",
            "temporary failure in name resolution",
            "name or service not known",
            "unknownhostexception",
            "connectexception",
            "getaddrinfo",
            "eai_again",
            "enetunreach",
            "econnrefused",
            "no address associated with hostname",
            "unable to resolve host");

    private static final List<String> READ_ONLY_MARKERS = List.of("read-only file system", "erofs");

    /** A fork or thread creation refused (EAGAIN): bash, dash, libc, Java, Python, Node, Go. */
    private static final List<String> PROCESS_LIMIT_MARKERS = List.of(
            "resource temporarily unavailable",
            "cannot fork",
            "can't fork",
            "fork: retry",
            "unable to create native thread",
            "unable to create new native thread",
            "blockingioerror",
            "eagain",
            "pthread_create failed");

    private static final List<String> MEMORY_LIMIT_MARKERS = List.of(
            "cannot allocate memory",
            "out of memory",
            "outofmemoryerror",
            "memoryerror",
            "std::bad_alloc",
            "enomem",
            "failed to reserve memory",
            "could not reserve enough space");

    /** Exit status of a command killed by SIGXCPU (24) or SIGXFSZ (25), as a shell reports it. */
    private static final int KILLED_BY_CPU_LIMIT = 128 + 24;

    private static final int KILLED_BY_FILE_SIZE_LIMIT = 128 + 25;

    /** Where a missing file is most likely one the sandbox hid. */
    private static final List<String> HIDDEN_LOCATIONS = List.of(
            "/.ssh",
            "/.aws",
            "/.config",
            "/.docker",
            "/.kube",
            "/.netrc",
            "/.npmrc",
            "/.m2",
            "/.gnupg",
            "/root/",
            "/home/",
            "/run/",
            "/var/run/",
            "loopline-guard");

    private SandboxHints() {}

    /**
     * {@code "; <hint>; <hint>"}, or empty when the sandbox did not run or nothing points at it. A limit that was
     * reached is named first, with its value: the process count, CPU time, file size or memory.
     */
    static String of(TestSandbox sandbox, TestSandbox.Limits limits, int exitCode, String output) {
        if (!(sandbox instanceof TestSandbox.Bubblewrap)) {
            return "";
        }
        String text = output == null ? "" : output.toLowerCase(Locale.ROOT);
        List<String> hints = new ArrayList<>(limitsReached(limits, exitCode, text));
        if (containsAny(text, NETWORK_MARKERS)) {
            hints.add(NETWORK);
        }
        if (containsAny(text, READ_ONLY_MARKERS)) {
            hints.add(READ_ONLY);
        }
        boolean missing = text.contains("no such file") || text.contains("cannot access") || text.contains("enoent");
        if (missing && containsAny(text, HIDDEN_LOCATIONS)) {
            hints.add(HIDDEN);
        }
        if (hints.isEmpty() && text.contains("permission denied")) {
            hints.add(DENIED);
        }
        return hints.isEmpty() ? "" : "; " + String.join("; ", hints);
    }

    /** The limits the exit code or the output shows were reached, each with its value. */
    static List<String> limitsReached(TestSandbox.Limits limits, int exitCode, String lowerCaseOutput) {
        List<String> reached = new ArrayList<>(2);
        if (containsAny(lowerCaseOutput, PROCESS_LIMIT_MARKERS)) {
            reached.add(
                    "the sandbox's process-count limit (" + limits.processes() + " processes and threads) was reached");
        }
        if (exitCode == KILLED_BY_CPU_LIMIT || lowerCaseOutput.contains("cpu time limit exceeded")) {
            reached.add(
                    "the sandbox's CPU-time limit (" + limits.cpuTime().toSeconds() + " s per process) was reached");
        }
        if (exitCode == KILLED_BY_FILE_SIZE_LIMIT || lowerCaseOutput.contains("file size limit exceeded")) {
            reached.add("the sandbox's file-size limit (" + limits.fileSizeBytes() + " bytes) was reached");
        }
        if (containsAny(lowerCaseOutput, MEMORY_LIMIT_MARKERS)) {
            reached.add("the sandbox's memory limit (" + limits.memoryBytes()
                    + " bytes of address space per process) may have been reached");
        }
        return reached;
    }

    private static boolean containsAny(String text, List<String> needles) {
        for (String needle : needles) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }
}
