package dev.loopline.core.guard.command;

import java.util.Locale;
import java.util.Set;

/** Classifies paths that appear as write targets or deletion targets. Pure string logic, no file system access. */
final class Paths {
    private Paths() {}

    private static final Set<String> SECRET_DIRS =
            Set.of("secrets", "secret", "credentials", "credential", ".ssh", ".gnupg", "private_keys");
    private static final Set<String> SECRET_FILES = Set.of(
            ".env",
            ".netrc",
            "_netrc",
            ".git-credentials",
            ".pgpass",
            "credentials",
            "secrets",
            "authorized_keys",
            "known_hosts");
    /** Committed templates of an env file hold no secrets; writing them is ordinary documentation work. */
    private static final Set<String> ENV_TEMPLATES =
            Set.of(".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults");

    private static final Set<String> SECRET_SUFFIXES = Set.of(".pem", ".key", ".p12", ".pfx", ".jks", ".keystore");
    private static final String[] KEY_PREFIXES = {"id_rsa", "id_ed25519", "id_ecdsa", "id_dsa"};

    private static final Set<String> WIDE = Set.of(
            "/",
            "~",
            ".",
            "..",
            "*",
            ".*",
            "$home",
            "${home}",
            "/etc",
            "/usr",
            "/usr/local",
            "/usr/bin",
            "/usr/lib",
            "/var",
            "/var/lib",
            "/bin",
            "/sbin",
            "/lib",
            "/lib64",
            "/boot",
            "/opt",
            "/root",
            "/home",
            "/sys",
            "/proc",
            "/dev",
            "/srv",
            "/mnt",
            "/media",
            "/users",
            "/system",
            "/library",
            "/applications",
            "/private",
            "../..");

    private static final Set<String> HARMLESS_DEVICES = Set.of(
            "/dev/null",
            "/dev/zero",
            "/dev/stdout",
            "/dev/stderr",
            "/dev/stdin",
            "/dev/tty",
            "/dev/random",
            "/dev/urandom",
            "/dev/full");

    /** True for {@code .env}, key files, {@code ~/.ssh/…}, {@code secrets/…}, {@code ~/.aws/credentials} and the like. */
    static boolean isSecret(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int start = 0;
        int len = p.length();
        while (start <= len) {
            int slash = p.indexOf('/', start);
            int stop = slash < 0 ? len : slash;
            String part = p.substring(start, stop);
            boolean last = slash < 0;
            if (last) {
                return isSecretFileName(part);
            }
            if (SECRET_DIRS.contains(part)) {
                return true;
            }
            start = stop + 1;
        }
        return false;
    }

    private static boolean isSecretFileName(String name) {
        if (SECRET_FILES.contains(name) || SECRET_DIRS.contains(name)) {
            return true;
        }
        if (name.startsWith(".env.")) {
            return !ENV_TEMPLATES.contains(name);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && SECRET_SUFFIXES.contains(name.substring(dot))) {
            return true;
        }
        for (String prefix : KEY_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** True for the file system root, home, the working directory, a bare {@code *} and system directories. */
    static boolean isWide(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        // `/*`, `~/`, `./*`, `/etc/` all mean the directory itself (or everything in it)
        while (true) {
            if (p.length() > 1 && p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            } else if (p.length() > 2 && p.endsWith("/*")) {
                p = p.substring(0, p.length() - 2);
            } else if (p.equals("/*")) {
                p = "/";
            } else {
                break;
            }
        }
        if (p.startsWith("$home/") || p.startsWith("${home}/") || p.startsWith("~/")) {
            return false;
        }
        return WIDE.contains(p);
    }

    /** True for a device node that is not a harmless sink such as {@code /dev/null}. */
    static boolean isBlockDevice(String path) {
        if (!path.startsWith("/dev/")) {
            return false;
        }
        if (HARMLESS_DEVICES.contains(path)
                || path.startsWith("/dev/fd/")
                || path.startsWith("/dev/pts/")
                || path.startsWith("/dev/shm/")
                || path.startsWith("/dev/tcp/")
                || path.startsWith("/dev/udp/")
                || path.startsWith("/dev/std")) {
            return false;
        }
        return true;
    }
}
