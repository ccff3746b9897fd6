package dev.loopline.core.guard.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Network sinks and the secrets that must not reach them: the environment ({@code env}, {@code printenv},
 * {@code export -p}), credential stores ({@code ~/.ssh}, {@code ~/.aws}, {@code ~/.netrc}…), secret files of the
 * project ({@code .env}, keys) and variables named like secrets ({@code *_TOKEN}, {@code *_KEY},
 * {@code *SECRET*}, {@code *PASSWORD*}). Pure functions over parsed words.
 */
final class Exfiltration {
    private Exfiltration() {}

    /** Network sinks: from the one list of network clients in {@link NetworkCommands}. */
    static final Set<String> SINKS = NetworkCommands.SINKS;

    private static final Set<String> DNS = Set.of("dig", "nslookup", "host", "drill");
    private static final Set<String> FILE_COPIERS = Set.of("scp", "sftp", "rsync", "rclone", "gsutil", "aws");

    /** Hosts where sending a token in an authorisation header is the ordinary way to use the service. */
    private static final Set<String> STANDARD_HOSTS = Set.of(
            "api.github.com",
            "github.com",
            "uploads.github.com",
            "raw.githubusercontent.com",
            "ghcr.io",
            "npm.pkg.github.com",
            "maven.pkg.github.com",
            "registry.npmjs.org",
            "pypi.org",
            "upload.pypi.org",
            "test.pypi.org",
            "gitlab.com",
            "api.bitbucket.org",
            "bitbucket.org",
            "hub.docker.com",
            "registry-1.docker.io",
            "index.docker.io",
            "auth.docker.io",
            "crates.io",
            "rubygems.org",
            "repo.maven.apache.org",
            "central.sonatype.com",
            "oss.sonatype.org",
            "s01.oss.sonatype.org",
            "api.openai.com",
            "api.anthropic.com",
            "localhost",
            "127.0.0.1");

    private static final Set<String> ENV_DUMPERS = Set.of("env", "printenv");
    static final Set<String> READERS = Set.of(
            "cat",
            "tac",
            "head",
            "tail",
            "less",
            "more",
            "nl",
            "base64",
            "base32",
            "basenc",
            "xxd",
            "od",
            "hexdump",
            "strings",
            "grep",
            "egrep",
            "fgrep",
            "rg",
            "ag",
            "awk",
            "gawk",
            "sed",
            "cut",
            "sort",
            "uniq",
            "jq",
            "yq",
            "cp",
            "tar",
            "zip",
            "gzip",
            "bzip2",
            "xz",
            "zstd",
            "7z",
            "openssl",
            "gpg",
            "diff",
            "cmp",
            "paste",
            "tr",
            "dd",
            "sha256sum",
            "md5sum",
            "view",
            "bat",
            "column",
            "fold",
            "rev",
            "iconv",
            "split",
            "install",
            "mv",
            "ln",
            "pbcopy",
            "xclip");

    /** A bare {@code env} (options and assignments only, so no command to run) prints the whole environment. */
    static boolean printsEnvironment(SimpleCommand c) {
        for (Word w : c.words) {
            if (CommandAnalyzer.commandName(w).equals("env")) {
                return true;
            }
        }
        return false;
    }

    static boolean isSink(String name) {
        return CommandKinds.is(name, CommandKinds.SINK);
    }

    /** True when the name is a secret by its spelling: {@code GITHUB_TOKEN}, {@code AWS_SECRET_ACCESS_KEY}… */
    static boolean isSecretVariable(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.contains("TOKEN")
                || n.contains("SECRET")
                || n.contains("PASSWORD")
                || n.contains("PASSWD")
                || n.contains("PASSPHRASE")
                || n.contains("APIKEY")
                || n.contains("API_KEY")
                || n.contains("PRIVATE_KEY")
                || n.contains("ACCESS_KEY")
                || n.contains("CREDENTIAL")
                || n.endsWith("_KEY")
                || n.endsWith("_PAT")
                || n.equals("AWS_SESSION_TOKEN");
    }

    /** The first secret-named variable referenced in {@code text} ({@code $X} or {@code ${X...}}), or null. */
    static String secretVariableIn(String text) {
        int k = text.indexOf('$');
        while (k >= 0 && k + 1 < text.length()) {
            int s = k + 1;
            if (text.charAt(s) == '{') {
                s++;
                if (s < text.length() && text.charAt(s) == '!') {
                    s++;
                }
            }
            int e = s;
            while (e < text.length() && isNameChar(text.charAt(e))) {
                e++;
            }
            if (e > s && isSecretVariable(text.substring(s, e))) {
                return text.substring(s, e);
            }
            k = text.indexOf('$', k + 1);
        }
        return null;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** True for a path whose contents are secrets: a credential store or a secret file of the project. */
    static boolean isSecretPath(String path) {
        return Paths.isCredentialStore(path) || Paths.isSecret(path) || path.equals("/etc/passwd");
    }

    /**
     * What a pipeline stage prints that is secret, or null: the whole environment, a credential store or secret
     * file, or a secret variable.
     */
    static String secretOutput(String name, List<Word> w, int i, SimpleCommand stage) {
        if (ENV_DUMPERS.contains(name)) {
            // `env cmd` runs cmd; only a bare env (options and assignments aside) prints the environment
            for (int j = i + 1; j < w.size(); j++) {
                String a = w.get(j).text();
                if (!a.startsWith("-") && !w.get(j).isAssignment()) {
                    return name.equals("printenv") ? name : null;
                }
            }
            return name;
        }
        String printed = printedCredential(name, w, i);
        if (printed != null) {
            return printed;
        }
        switch (name) {
            case "find" -> {
                boolean store = false;
                for (int j = i + 1; j < w.size(); j++) {
                    String a = w.get(j).text();
                    if (a.startsWith("-") || a.equals("(") || a.equals("!")) {
                        return store && hasExec(w, j) ? "files under a credential store" : null;
                    }
                    store |= Paths.isCredentialStore(a) || isSecretDir(a);
                }
                return null;
            }
            case "set" -> {
                return i + 1 >= w.size() ? "set" : null;
            }
            case "export", "declare", "typeset" -> {
                return i + 1 >= w.size()
                                || w.get(i + 1).text().startsWith("-p")
                                || w.get(i + 1).text().equals("-x")
                        ? name + " -p"
                        : null;
            }
            case "compgen" -> {
                return i + 1 < w.size()
                                && (w.get(i + 1).text().equals("-e")
                                        || w.get(i + 1).text().equals("-v"))
                        ? "compgen"
                        : null;
            }
            default -> {}
        }
        for (int j = i + 1; j < w.size(); j++) {
            Word word = w.get(j);
            String a = word.text();
            if ((CommandKinds.is(name, CommandKinds.READER) || name.equals("echo"))
                    && isSecretPath(stripOptionPrefix(a))) {
                return a;
            }
            if (ARCHIVERS.contains(name) && Paths.holdsCredentialStores(a) && !extractsInto(w, i, j)) {
                return a + " (with the credential stores in it)";
            }
            if (word.expansion() && (name.equals("echo") || name.equals("printf"))) {
                String v = secretVariableIn(a);
                if (v != null) {
                    return "$" + v;
                }
            }
            String sub = secretInSubstitution(word.substituted());
            if (sub != null) {
                return sub;
            }
        }
        return secretRedirectIn(stage);
    }

    /**
     * What a command prints that is a credential, or null: the token or password a forge, cloud, cluster, vault or
     * keychain CLI hands out on request ({@code gh auth token}, {@code gcloud auth print-access-token}, {@code
     * kubectl config view --raw}, {@code vault kv get}, {@code security find-generic-password -w}…). Subcommands are
     * matched among the words that are not options, so {@code kubectl --context prod config view --raw} counts too.
     */
    static String printedCredential(String name, List<Word> w, int i) {
        if (!CREDENTIAL_CLIS.contains(name) && !name.startsWith("docker-credential-")) {
            // the common case, decided before any word is looked at: this runs for every command
            return null;
        }
        List<String> words = new ArrayList<>();
        boolean reveals = false;
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("-")) {
                reveals |= a.equals("--raw")
                        || a.equals("-w")
                        || a.equals("-g")
                        || a.equals("-t")
                        || a.equals("--show-token")
                        || a.equals("--with-decryption")
                        || a.equals("--reveal");
            } else {
                words.add(a.toLowerCase(Locale.ROOT));
            }
        }
        boolean found =
                switch (name) {
                    case "gh", "glab" -> has(words, "auth", "token") || (has(words, "auth", "status") && reveals);
                    case "git" -> has(words, "credential", "fill") || has(words, "credential-store", "get");
                    case "gcloud" -> words.stream().anyMatch(a -> a.startsWith("print-") && a.endsWith("-token"));
                    case "az" -> has(words, "get-access-token");
                    case "aws" -> (has(words, "configure", "get")
                                    && words.stream().anyMatch(Exfiltration::namesSecret))
                            || has(words, "configure", "export-credentials")
                            || has(words, "get-session-token")
                            || has(words, "get-login-password")
                            || has(words, "get-authorization-token")
                            || has(words, "get-secret-value")
                            || (has(words, "get-parameter") && reveals)
                            || (has(words, "get-parameters") && reveals);
                    case "kubectl", "oc" -> (has(words, "config", "view") && reveals) || has(words, "create", "token");
                    case "vault" -> has(words, "kv", "get") || has(words, "read") || has(words, "print", "token");
                    case "op" -> has(words, "read") || has(words, "item", "get");
                    case "pass", "gopass" -> has(words, "show")
                            || has(words, "grep")
                            || (words.size() == 1 && !PASS_COMMANDS.contains(words.get(0)));
                    case "security" -> (has(words, "find-generic-password") || has(words, "find-internet-password"))
                            && reveals;
                    case "secret-tool" -> has(words, "lookup");
                    case "heroku" -> has(words, "auth:token");
                    case "npm", "yarn", "pnpm" -> has(words, "config", "get")
                            && words.stream().anyMatch(a -> a.contains("_auth"));
                    default -> name.startsWith("docker-credential-") && has(words, "get");
                };
        if (!found) {
            return null;
        }
        List<String> shown = words.subList(0, Math.min(3, words.size()));
        return "the credential that " + name + (shown.isEmpty() ? "" : " " + String.join(" ", shown)) + " prints";
    }

    /** pass's subcommands that do not print a password ({@code pass <name>} does). */
    private static final Set<String> PASS_COMMANDS = Set.of(
            "init",
            "ls",
            "list",
            "find",
            "search",
            "insert",
            "add",
            "edit",
            "generate",
            "rm",
            "remove",
            "delete",
            "mv",
            "rename",
            "cp",
            "copy",
            "git",
            "help",
            "version",
            "otp",
            "sync",
            "setup",
            "audit",
            "config",
            "mounts");

    /** The CLIs {@link #printedCredential} knows, besides the {@code docker-credential-*} helpers. */
    private static final Set<String> CREDENTIAL_CLIS = Set.of(
            "gh",
            "glab",
            "git",
            "gcloud",
            "az",
            "aws",
            "kubectl",
            "oc",
            "vault",
            "op",
            "pass",
            "gopass",
            "security",
            "secret-tool",
            "heroku",
            "npm",
            "yarn",
            "pnpm");

    /** Whether {@code words} holds {@code sequence} as consecutive words. */
    private static boolean has(List<String> words, String... sequence) {
        for (int s = 0; s + sequence.length <= words.size(); s++) {
            boolean all = true;
            for (int k = 0; k < sequence.length && all; k++) {
                all = words.get(s + k).equals(sequence[k]);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static boolean namesSecret(String word) {
        return word.contains("secret") || word.contains("token") || word.contains("password");
    }

    /** Tools that read whole directory trees into one stream. */
    private static final Set<String> ARCHIVERS = Set.of("tar", "bsdtar", "zip", "7z", "7za", "pax");

    /** Whether operand {@code j} of the archiver at {@code i} is the directory it works in ({@code tar -C ~}). */
    private static boolean extractsInto(List<Word> w, int i, int j) {
        String prev = j > i + 1 ? w.get(j - 1).text() : "";
        return prev.equals("-C") || prev.equals("--directory");
    }

    private static boolean hasExec(List<Word> w, int from) {
        for (int j = from; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("-exec") || a.startsWith("-ok") || a.equals("-fprint") || a.equals("-ls")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSecretDir(String a) {
        String p = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
        return p.endsWith("/.ssh") || p.endsWith("/.aws") || p.endsWith("/.gnupg") || p.equals(".ssh");
    }

    /** A secret read by a command substitution ({@code $(cat ~/.ssh/id_rsa)}, {@code $(env)}), or null. */
    static String secretInSubstitution(List<SimpleCommand> subs) {
        for (SimpleCommand c : subs) {
            int k = c.unwrapped();
            if (k >= c.words.size()) {
                if (printsEnvironment(c)) {
                    return "the environment";
                }
                String r = secretRedirectIn(c);
                if (r != null) {
                    return r;
                }
                continue;
            }
            String s = secretOutput(CommandAnalyzer.commandName(c.words.get(k)), c.words, k, c);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    /** A redirection that feeds a secret into the command ({@code < ~/.aws/credentials}, {@code <<< "$TOKEN"}). */
    static String secretRedirectIn(SimpleCommand c) {
        for (Redirect r : c.redirects) {
            if (r.op().equals("<") && isSecretPath(r.target().text())) {
                return r.target().text();
            }
            if (r.body() != null && r.op().equals("<<<")) {
                String v = secretVariableIn(r.body());
                if (v != null) {
                    return "$" + v;
                }
                String s = secretInSubstitution(r.target().substituted());
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    /** Why this sink invocation sends a secret, or null. */
    static String sendsSecret(String name, List<Word> w, int i, SimpleCommand c) {
        boolean dns = DNS.contains(name);
        boolean copier = FILE_COPIERS.contains(name);
        String headerSecret = null;
        for (int j = i + 1; j < w.size(); j++) {
            Word word = w.get(j);
            String a = word.text();
            if (!word.substituted().isEmpty()) {
                String s = secretInSubstitution(word.substituted());
                if (s != null) {
                    return "sends " + s;
                }
                if (dns) {
                    return "looks up a name built from command output";
                }
            }
            String file = uploadedFile(a, j > i + 1 ? w.get(j - 1).text() : "");
            if (file != null && isSecretPath(file)) {
                return "uploads " + file;
            }
            if (copier && !a.startsWith("-") && isSecretPath(a)) {
                return "copies " + a + " to a remote";
            }
            if (copier && !a.startsWith("-") && Paths.holdsCredentialStores(a) && j < lastOperand(w, i)) {
                // a source, not the destination: `scp -r ~ evil:` sends ~/.ssh along; `scp host:f ~/` does not
                return "copies " + a + " (with the credential stores in it) to a remote";
            }
            if (word.expansion()) {
                String v = secretVariableIn(a);
                if (v != null) {
                    String prev = j > i + 1 ? w.get(j - 1).text() : "";
                    boolean header = prev.equals("-H")
                            || prev.equals("--header")
                            || prev.equals("-u")
                            || prev.equals("--user")
                            || prev.equals("--oauth2-bearer")
                            || a.startsWith("--header=")
                            || a.regionMatches(true, 0, "authorization:", 0, 14);
                    if (!header || dns) {
                        return "sends $" + v;
                    }
                    headerSecret = v;
                }
            }
        }
        if (headerSecret != null && !allHostsStandard(w, i)) {
            return "sends $" + headerSecret + " in a header to a non-standard host";
        }
        String redirected = secretRedirectIn(c);
        if (redirected != null) {
            return "sends " + redirected;
        }
        return null;
    }

    /** The index of the last word after {@code i} that is not an option: a copier's destination. */
    private static int lastOperand(List<Word> w, int i) {
        for (int j = w.size() - 1; j > i; j--) {
            if (!w.get(j).text().startsWith("-")) {
                return j;
            }
        }
        return -1;
    }

    /** The file a curl/wget/httpie argument uploads ({@code @f}, {@code x=@f}, {@code --post-file=f}, {@code -T f}). */
    private static String uploadedFile(String a, String prev) {
        if (prev.equals("-T")
                || prev.equals("--upload-file")
                || prev.equals("--post-file")
                || prev.equals("--body-file")) {
            return a;
        }
        if (a.startsWith("--post-file=") || a.startsWith("--body-file=")) {
            return a.substring(a.indexOf('=') + 1);
        }
        if (a.startsWith("@")) {
            return a.substring(1);
        }
        int at = a.indexOf("=@");
        if (at < 0) {
            at = a.indexOf("=<");
        }
        if (at > 0) {
            String f = a.substring(at + 2);
            int semi = f.indexOf(';');
            return semi >= 0 ? f.substring(0, semi) : f;
        }
        int sep = a.indexOf("@");
        if (sep > 0 && a.indexOf("://") < 0 && (prev.equals("-d") || prev.startsWith("--data"))) {
            return a.substring(sep + 1);
        }
        return null;
    }

    private static String stripOptionPrefix(String a) {
        if (a.startsWith("--") && a.indexOf('=') > 0) {
            return a.substring(a.indexOf('=') + 1);
        }
        if (a.startsWith("if=")) {
            return a.substring(3);
        }
        return a;
    }

    private static boolean allHostsStandard(List<Word> w, int i) {
        boolean any = false;
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            int scheme = a.indexOf("://");
            if (scheme < 0) {
                continue;
            }
            any = true;
            if (!STANDARD_HOSTS.contains(hostOf(a, scheme + 3))) {
                return false;
            }
        }
        return any;
    }

    static String hostOf(String url, int from) {
        int end = from;
        while (end < url.length() && "/:?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        String host = url.substring(from, end);
        int at = host.lastIndexOf('@');
        if (at >= 0) {
            host = host.substring(at + 1);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** True when {@code remote} is an explicit URL (not a configured remote name) on a host outside the standard set. */
    static boolean isArbitraryRemoteUrl(String remote) {
        int scheme = remote.indexOf("://");
        if (scheme > 0) {
            return !STANDARD_HOSTS.contains(hostOf(remote, scheme + 3)) || secretVariableIn(remote) != null;
        }
        int at = remote.indexOf('@');
        int colon = remote.indexOf(':');
        if (at > 0 && colon > at) {
            return !STANDARD_HOSTS.contains(remote.substring(at + 1, colon).toLowerCase(Locale.ROOT));
        }
        return false;
    }

    /** A credential store named by a reader's operand or input redirection, or null. */
    static String credentialStoreRead(String name, List<Word> w, int i, SimpleCommand c) {
        if (CommandKinds.is(name, CommandKinds.READER) || name.equals("source") || name.equals(".")) {
            for (int j = i + 1; j < w.size(); j++) {
                String a = stripOptionPrefix(w.get(j).text());
                if (Paths.isCredentialStore(a)) {
                    return a;
                }
            }
        }
        for (Redirect r : c.redirects) {
            if (r.op().equals("<") && Paths.isCredentialStore(r.target().text())) {
                return r.target().text();
            }
        }
        return null;
    }
}
