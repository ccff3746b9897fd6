package dev.loopline.guard.service;

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

    /** {@code "; <hint>; <hint>"}, or empty when the sandbox did not run or nothing points at it. */
    static String of(TestSandbox sandbox, String output) {
        if (!(sandbox instanceof TestSandbox.Bubblewrap) || output == null || output.isEmpty()) {
            return "";
        }
        String text = output.toLowerCase(Locale.ROOT);
        List<String> hints = new ArrayList<>();
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

    private static boolean containsAny(String text, List<String> needles) {
        for (String needle : needles) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }
}
