package dev.loopline.core.guard.command;

import java.util.List;
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

    /**
     * True when {@code path} may lie outside the agent's worktree: absolute, under {@code ~} or {@code $HOME},
     * climbing out with {@code ..}, or built from an expansion that cannot be resolved statically.
     */
    static boolean isOutsideWorktree(String path) {
        if (path.isEmpty()) {
            return false;
        }
        char c = path.charAt(0);
        if (c == '/' || c == '~' || path.indexOf('$') >= 0 || path.indexOf('`') >= 0) {
            return !path.startsWith(Variables.TEMP_DIR);
        }
        return hasParentSegment(path);
    }

    private static boolean hasParentSegment(String p) {
        int start = 0;
        while (start <= p.length()) {
            int slash = p.indexOf('/', start);
            int stop = slash < 0 ? p.length() : slash;
            if (stop - start == 2 && p.charAt(start) == '.' && p.charAt(start + 1) == '.') {
                return true;
            }
            if (slash < 0) {
                return false;
            }
            start = stop + 1;
        }
        return false;
    }

    /** True for the repository's own git directory ({@code .git}, {@code ./.git/}). */
    static boolean isGitDir(String path) {
        String p = path.startsWith("./") ? path.substring(2) : path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals(".git");
    }

    private static final String[] HOME_PREFIXES = {"~/", "$HOME/", "${HOME}/", "/root/"};
    private static final String[] HOME_CREDENTIAL_STORES = {
        ".ssh",
        ".aws",
        ".azure",
        ".config/gcloud",
        ".config/gh",
        ".config/hub",
        ".netrc",
        ".npmrc",
        ".pypirc",
        ".git-credentials",
        ".gnupg",
        ".docker/config.json",
        ".kube",
        ".vault-token",
        ".terraform.d/credentials.tfrc.json",
        ".cargo/credentials",
        ".cargo/credentials.toml",
        ".gem/credentials",
        ".m2/settings.xml",
        ".gradle/gradle.properties",
        ".password-store",
        ".bash_history",
        ".zsh_history"
    };
    private static final Set<String> SYSTEM_SECRETS =
            Set.of("/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/master.passwd", "/proc/self/environ");

    /** Directories of the system's configuration, programs, services and scheduled jobs. */
    private static final List<String> SYSTEM_DIRS = List.of(
            "/etc/",
            "/usr/",
            "/bin/",
            "/sbin/",
            "/lib/",
            "/lib32/",
            "/lib64/",
            "/libx32/",
            "/boot/",
            "/var/spool/cron/",
            "/var/spool/anacron/",
            "/var/spool/at/",
            "/proc/sys/",
            "/sys/",
            "/Library/LaunchDaemons/",
            "/Library/LaunchAgents/",
            "/System/");

    /** Files in a home directory that a shell, desktop or service manager runs by itself later. */
    private static final Set<String> START_UP_FILES = Set.of(
            ".bashrc",
            ".bash_profile",
            ".bash_login",
            ".bash_logout",
            ".profile",
            ".zshrc",
            ".zprofile",
            ".zshenv",
            ".zlogin",
            ".zlogout",
            ".login",
            ".logout",
            ".cshrc",
            ".tcshrc",
            ".kshrc",
            ".mkshrc",
            ".xinitrc",
            ".xprofile",
            ".xsession",
            ".inputrc",
            ".pam_environment",
            ".config/fish/config.fish");

    /** Directories in a home directory whose files start by themselves: autostart, user services, launch agents. */
    private static final List<String> START_UP_DIRS = List.of(
            ".config/autostart/",
            ".config/systemd/user/",
            ".local/share/systemd/user/",
            ".config/fish/conf.d/",
            "Library/LaunchAgents/");

    /**
     * True for a file the system or a later shell uses that lies outside the worktree: anything under {@code
     * /etc}, {@code /usr}, {@code /bin}, {@code /boot}, the cron spools, {@code /proc/sys}, {@code /sys}, and a
     * home directory's start-up files ({@code ~/.bashrc}, {@code ~/.profile}, autostart entries, user services).
     * Writing one changes the machine beyond the change under review, or plants code that runs later.
     */
    static boolean isSystemFile(String path) {
        char first = path.isEmpty() ? ' ' : path.charAt(0);
        if (first != '/' && first != '~' && first != '$') {
            return false; // relative: inside the worktree, the common case
        }
        for (String dir : SYSTEM_DIRS) {
            if (path.startsWith(dir) || path.equals(dir.substring(0, dir.length() - 1))) {
                return true;
            }
        }
        String inHome = homeRelative(path);
        if (inHome == null) {
            return false;
        }
        if (START_UP_FILES.contains(inHome)) {
            return true;
        }
        for (String dir : START_UP_DIRS) {
            if (inHome.startsWith(dir)) {
                return true;
            }
        }
        return false;
    }

    /** {@code .bashrc} for {@code ~/.bashrc}, {@code $HOME/.bashrc}, {@code /root/.bashrc}, {@code /home/a/.bashrc}. */
    private static String homeRelative(String path) {
        for (String home : new String[] {"~/", "$HOME/", "${HOME}/", "/root/"}) {
            if (path.startsWith(home)) {
                return path.substring(home.length());
            }
        }
        for (String homes : new String[] {"/home/", "/Users/"}) {
            int slash = path.startsWith(homes) ? path.indexOf('/', homes.length()) : -1;
            if (slash > 0) {
                return path.substring(slash + 1);
            }
        }
        return null;
    }

    /**
     * True for a directory that holds credential stores: a home directory ({@code ~}, {@code $HOME}, {@code /root},
     * {@code /home/alice}), the directory of all homes, or the file system root. Archiving or copying one of these
     * takes {@code ~/.ssh}, {@code ~/.aws} and the rest along.
     */
    static boolean holdsCredentialStores(String path) {
        String p = path;
        while (p.length() > 1 && (p.endsWith("/") || p.endsWith("/*") || p.endsWith("/."))) {
            p = p.substring(0, p.length() - (p.endsWith("/") ? 1 : 2));
        }
        if (p.equals("/*")) {
            p = "/";
        }
        switch (p) {
            case "~", "$HOME", "${HOME}", "/", "/root", "/home", "/Users" -> {
                return true;
            }
            default -> {}
        }
        // a user's home: ~alice, /home/alice, /Users/alice
        if (p.length() > 1 && p.charAt(0) == '~' && p.indexOf('/') < 0) {
            return true;
        }
        for (String homes : new String[] {"/home/", "/Users/"}) {
            if (p.startsWith(homes) && p.length() > homes.length() && p.indexOf('/', homes.length()) < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * True for a credential store outside the worktree: {@code ~/.ssh}, {@code ~/.aws}, {@code ~/.netrc},
     * {@code ~/.docker/config.json}, {@code ~/.kube/config}, {@code /etc/shadow}, {@code /proc/<pid>/environ}…
     * Public keys ({@code *.pub}) and {@code known_hosts} are not secrets.
     */
    static boolean isCredentialStore(String path) {
        if (path.isEmpty() || (path.charAt(0) != '~' && path.charAt(0) != '/' && path.charAt(0) != '$')) {
            return false;
        }
        if (path.endsWith(".pub") || path.endsWith("known_hosts")) {
            return false;
        }
        if (SYSTEM_SECRETS.contains(path) || (path.startsWith("/proc/") && path.endsWith("/environ"))) {
            return true;
        }
        String rest = null;
        for (String prefix : HOME_PREFIXES) {
            if (path.startsWith(prefix)) {
                rest = path.substring(prefix.length());
                break;
            }
        }
        if (rest == null && (path.startsWith("/home/") || path.startsWith("/Users/"))) {
            int slash = path.indexOf('/', path.indexOf('/', 1) + 1);
            rest = slash < 0 ? null : path.substring(slash + 1);
        }
        if (rest == null) {
            return false;
        }
        for (String store : HOME_CREDENTIAL_STORES) {
            if (rest.startsWith(store) && (rest.length() == store.length() || rest.charAt(store.length()) == '/')) {
                return true;
            }
        }
        return false;
    }

    /** True for {@code /dev/tcp/host/port} or {@code /dev/udp/...} to a host other than the loopback. */
    static boolean isRemoteSocket(String path) {
        if (!path.startsWith("/dev/tcp/") && !path.startsWith("/dev/udp/")) {
            return false;
        }
        String rest = path.substring(9);
        int slash = rest.indexOf('/');
        String host = slash < 0 ? rest : rest.substring(0, slash);
        return !(host.equals("localhost") || host.startsWith("127.") || host.equals("::1"));
    }
}
