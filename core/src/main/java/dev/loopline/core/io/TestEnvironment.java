package dev.loopline.core.io;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment of an untrusted test command: an allowlist (PATH, HOME, TMPDIR, LANG, CI, JAVA_HOME) built
 * from the guard's own environment, never a copy of it. A second, name-based filter drops anything that looks
 * like a credential even if it were ever allowlisted, so a token of Loopline, a git host, a model provider or a
 * cloud cannot reach the command.
 */
public final class TestEnvironment {

    /** Variables taken from the guard's environment (the others are set by {@link #minimal}). */
    static final List<String> INHERITED = List.of("PATH", "JAVA_HOME");

    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    /** Name prefixes of credential-bearing families (upper-cased names). */
    private static final List<String> SECRET_PREFIXES = List.of(
            "LOOPLINE_",
            "AWS_",
            "GITHUB_",
            "GH_",
            "GITLAB_",
            "GL_",
            "BITBUCKET_",
            "ANTHROPIC_",
            "OPENAI_",
            "AZURE_",
            "GOOGLE_",
            "GCP_",
            "GCLOUD_",
            "CLOUDSDK_",
            "KUBE",
            "DOCKER_",
            "NPM_",
            "SSH_",
            "GPG_",
            "VAULT_",
            "HF_",
            "HUGGING");

    /** Name fragments that mark a credential wherever they appear (upper-cased names). */
    private static final List<String> SECRET_FRAGMENTS = List.of(
            "TOKEN",
            "SECRET",
            "PASSWORD",
            "PASSWD",
            "CREDENTIAL",
            "API_KEY",
            "APIKEY",
            "PRIVATE_KEY",
            "ACCESS_KEY",
            "_AUTH_",
            "COOKIE");

    private TestEnvironment() {}

    /**
     * @param host the guard's environment ({@code System.getenv()}); only PATH and JAVA_HOME are read from it
     * @param home the (empty) home of the command
     * @param tmp the command's private temp dir
     */
    public static Map<String, String> minimal(Map<String, String> host, String home, String tmp) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", host.getOrDefault("PATH", DEFAULT_PATH));
        env.put("HOME", home);
        env.put("TMPDIR", tmp);
        env.put("LANG", "C.UTF-8");
        env.put("CI", "true");
        String javaHome = host.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            env.put("JAVA_HOME", javaHome);
        }
        env.keySet().removeIf(TestEnvironment::isCredentialName);
        return env;
    }

    /**
     * Whether a variable's name marks a credential: {@code *_TOKEN}, {@code *_KEY}, {@code *_SECRET},
     * passwords, and whole families (LOOPLINE_*, AWS_*, GITHUB_*, ANTHROPIC_*, OPENAI_*, …).
     */
    public static boolean isCredentialName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.endsWith("_KEY") || upper.equals("KEY")) {
            return true;
        }
        for (String prefix : SECRET_PREFIXES) {
            if (upper.startsWith(prefix)) {
                return true;
            }
        }
        for (String fragment : SECRET_FRAGMENTS) {
            if (upper.contains(fragment)) {
                return true;
            }
        }
        return false;
    }
}
