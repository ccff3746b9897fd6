package dev.loopline.core.guard.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Commands that reach past the worktree into the machine, the team's registries or its cloud: privilege
 * (setuid bits, capabilities, accounts, privileged containers, mounts), the host itself (power, services,
 * firewall, every process), publishing (packages, images, releases) and deleting remote resources (clusters,
 * cloud projects, buckets, repositories). A maker proposes a change in a worktree; none of these is part of
 * that, and only the gate ships what a loop made. A loop that must do one of them lifts the rule for exactly
 * that command with an allow exception in its spec.
 *
 * <p>Each check returns a {@link Finding}, or null when the invocation only reads, lists or asks for help.
 */
final class HostRules {
    private HostRules() {}

    /** The rule an invocation breaks, and what it does in a few words. */
    record Finding(CommandRule rule, String detail) {}

    private static final Set<String> ACCOUNT_TOOLS = Set.of(
            "useradd",
            "adduser",
            "usermod",
            "userdel",
            "deluser",
            "groupadd",
            "groupmod",
            "groupdel",
            "addgroup",
            "delgroup",
            "gpasswd",
            "passwd",
            "chpasswd",
            "chsh",
            "chfn",
            "newusers",
            "visudo",
            "vipw",
            "vigr",
            "pwconv",
            "dscl");
    /** Not bare {@code halt}: scripts name their own functions so ({@code stop) halt ;;}). */
    private static final Set<String> POWER = Set.of("shutdown", "reboot", "poweroff");

    private static final Set<String> CONTAINER_CLIS = Set.of("docker", "podman", "nerdctl");
    /** The verbs a container CLI's rules care about, found past global options and their values. */
    private static final Set<String> CONTAINER_VERBS = Set.of("push", "buildx", "run", "create", "exec");

    private static final Set<String> FIREWALLS =
            Set.of("iptables", "ip6tables", "iptables-legacy", "iptables-nft", "ip6tables-legacy", "ip6tables-nft");
    private static final Set<String> NODE_PACKAGERS = Set.of("npm", "pnpm", "yarn", "bun", "lerna", "changeset");
    private static final Set<String> PYTHON_PUBLISHERS = Set.of("twine", "poetry", "flit", "hatch", "uv", "pdm");
    private static final Set<String> MAVEN = Set.of("mvn", "mvnw", "mvnd");
    private static final Set<String> GRADLE = Set.of("gradle", "gradlew");
    /** Options whose value is the next word: {@code -pl deploy} names a module, not the deploy phase. */
    private static final Set<String> MAVEN_VALUE_OPTIONS = Set.of(
            "-pl",
            "--projects",
            "-f",
            "--file",
            "-s",
            "--settings",
            "-gs",
            "--global-settings",
            "-P",
            "--activate-profiles",
            "-rf",
            "--resume-from",
            "-T",
            "--threads",
            "-l",
            "--log-file",
            "-t",
            "--toolchains",
            "-b",
            "--builder",
            "-D",
            "--define");
    /** {@code -x publish} excludes the task. */
    private static final Set<String> GRADLE_VALUE_OPTIONS = Set.of(
            "-x",
            "--exclude-task",
            "-p",
            "--project-dir",
            "-b",
            "--build-file",
            "-c",
            "--settings-file",
            "-g",
            "--gradle-user-home",
            "-I",
            "--init-script",
            "-D",
            "-P");

    private static final Set<String> IAC = Set.of("terraform", "tofu", "terragrunt", "pulumi");
    private static final Set<String> KUBE = Set.of("kubectl", "oc");
    /** What {@code kubectl delete} may remove in a development namespace; anything wider is a cluster's. */
    private static final Set<String> CLUSTER_KINDS = Set.of(
            "ns",
            "namespace",
            "namespaces",
            "node",
            "nodes",
            "no",
            "pv",
            "persistentvolume",
            "persistentvolumes",
            "crd",
            "crds",
            "customresourcedefinition",
            "customresourcedefinitions",
            "clusterrole",
            "clusterroles",
            "clusterrolebinding",
            "clusterrolebindings");

    private static final Set<String> NPM_PUBLISHING = Set.of("publish", "unpublish", "deprecate", "dist-tag", "owner");
    /** The first operands {@link #nodePublish} looks further at: the publishing verbs, and yarn's {@code npm}. */
    private static final Set<String> NODE_VERBS = union(NPM_PUBLISHING, Set.of("npm"));

    /** Every command name a check below looks at: {@link CommandKinds#HOST}. */
    static final Set<String> NAMES = Set.copyOf(union(
            ACCOUNT_TOOLS,
            POWER,
            CONTAINER_CLIS,
            FIREWALLS,
            NODE_PACKAGERS,
            PYTHON_PUBLISHERS,
            MAVEN,
            GRADLE,
            IAC,
            KUBE,
            Set.of(
                    "chmod",
                    "setcap",
                    "mount",
                    "su",
                    "init",
                    "telinit",
                    "systemctl",
                    "service",
                    "kill",
                    "killall5",
                    "nft",
                    "ufw",
                    "firewall-cmd",
                    "setenforce",
                    "sysctl",
                    "crontab",
                    "gem",
                    "cargo",
                    "buildah",
                    "gh",
                    "helm",
                    "dotnet",
                    "nuget",
                    "vsce",
                    "ovsx",
                    "semantic-release",
                    "aws",
                    "gcloud",
                    "gsutil",
                    "az",
                    "python",
                    "python3")));

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return all;
    }

    /** The groups of names above, so that a command costs one lookup to find its check. */
    private enum Family {
        ACCOUNTS,
        POWER,
        CONTAINERS,
        FIREWALLS,
        NODE,
        PYTHON_PUBLISHERS,
        MAVEN,
        GRADLE,
        IAC,
        KUBE
    }

    private static final Map<String, Family> FAMILIES = families();

    private static Map<String, Family> families() {
        Map<String, Family> m = new HashMap<>();
        ACCOUNT_TOOLS.forEach(n -> m.put(n, Family.ACCOUNTS));
        POWER.forEach(n -> m.put(n, Family.POWER));
        CONTAINER_CLIS.forEach(n -> m.put(n, Family.CONTAINERS));
        FIREWALLS.forEach(n -> m.put(n, Family.FIREWALLS));
        NODE_PACKAGERS.forEach(n -> m.put(n, Family.NODE));
        PYTHON_PUBLISHERS.forEach(n -> m.put(n, Family.PYTHON_PUBLISHERS));
        MAVEN.forEach(n -> m.put(n, Family.MAVEN));
        GRADLE.forEach(n -> m.put(n, Family.GRADLE));
        IAC.forEach(n -> m.put(n, Family.IAC));
        KUBE.forEach(n -> m.put(n, Family.KUBE));
        return m;
    }

    /** The rule {@code name}'s invocation at {@code w[i]} breaks, or null. */
    static Finding check(String name, List<Word> w, int i) {
        Finding f = find(name, w, i);
        return f == null || asksForHelp(w, i) ? null : f;
    }

    private static Finding find(String name, List<Word> w, int i) {
        Family family = FAMILIES.get(name);
        if (family != null) {
            return switch (family) {
                case ACCOUNTS -> privilege(name + " changes accounts, groups or passwords");
                case POWER -> has(w, i, "-c") || has(w, i, "--show") ? null : host(name + " stops the machine");
                case CONTAINERS -> container(name, w, i);
                case FIREWALLS -> firewallChange(w, i) ? host(name + " changes the firewall") : null;
                case NODE -> nodePublish(name, w, i);
                case PYTHON_PUBLISHERS -> {
                    String verb = name.equals("twine") ? "upload" : "publish";
                    yield firstOperandIs(w, i, verb) ? publish(name + " " + verb) : null;
                }
                case MAVEN -> mavenDeploy(w, i);
                case GRADLE -> gradlePublish(w, i);
                case IAC -> infraDestroy(name, w, i);
                case KUBE -> kubeDelete(name, w, i);
            };
        }
        return switch (name) {
            case "chmod" -> setuid(w, i) ? privilege("chmod sets the setuid bit") : null;
            case "setcap" -> operandsAfter(w, i) > 0 && !has(w, i, "-r") && !has(w, i, "-v")
                    ? privilege("setcap grants file capabilities")
                    : null;
            case "mount" -> operandsAfter(w, i) > 0 && !has(w, i, "-l") ? privilege("mount changes mounts") : null;
            case "su" -> interactiveSu(w, i) ? privilege("su opens a shell as another user") : null;
            case "init", "telinit" -> firstOperandIn(w, i, Set.of("0", "1", "6", "s", "S", "single"))
                    ? host(name + " changes the run level")
                    : null;
            case "systemctl" -> systemctl(w, i);
            case "service" -> {
                List<String> ops = operands(w, i);
                yield ops.size() >= 2 && Set.of("stop", "restart").contains(ops.get(1))
                        ? host("service " + ops.get(0) + " " + ops.get(1))
                        : null;
            }
            case "kill" -> killsEverything(w, i) ? host("kill signals every process (-1) or init (1)") : null;
            case "killall5" -> host("killall5 signals every process");
            case "nft" -> firstOperandIn(w, i, Set.of("flush", "delete", "add", "insert", "replace", "destroy", "-f"))
                    ? host("nft changes the firewall")
                    : null;
            case "ufw" -> firstOperandIn(w, i, Set.of("disable", "reset", "allow", "deny", "delete", "default"))
                    ? host("ufw changes the firewall")
                    : null;
            case "firewall-cmd" -> firewallCmdChanges(w, i) ? host("firewall-cmd changes the firewall") : null;
            case "setenforce" -> firstOperandIn(w, i, Set.of("0", "permissive", "Permissive"))
                    ? host("setenforce turns SELinux enforcement off")
                    : null;
            case "sysctl" -> has(w, i, "-w") || hasOperandContaining(w, i, '=') || has(w, i, "-p")
                    ? new Finding(CommandRule.SYSTEM_WRITE, "sysctl changes kernel parameters")
                    : null;
            case "crontab" -> installsCrontab(w, i)
                    ? new Finding(CommandRule.SYSTEM_WRITE, "crontab installs or removes scheduled jobs")
                    : null;
            case "gem" -> registryVerb(name, w, i, Set.of("push", "yank", "owner"));
            case "cargo" -> registryVerb(name, w, i, Set.of("publish", "yank", "owner"));
            case "buildah" -> firstOperandIs(w, i, "push") ? publish("buildah push") : null;
            case "gh" -> github(w, i);
            case "helm" -> firstOperandIs(w, i, "push") ? publish("helm push") : null;
            case "dotnet" -> operandPathIs(w, i, "nuget", "push") ? publish("dotnet nuget push") : null;
            case "nuget" -> firstOperandIs(w, i, "push") ? publish("nuget push") : null;
            case "vsce", "ovsx" -> firstOperandIs(w, i, "publish") ? publish(name + " publish") : null;
            case "semantic-release" -> has(w, i, "--dry-run") || has(w, i, "-d") ? null : publish(name);
            case "aws" -> aws(w, i);
            case "gcloud" -> operands(w, i).contains("delete") ? remote("gcloud … delete") : null;
            case "gsutil" -> gsutil(w, i);
            case "az" -> operands(w, i).contains("delete") ? remote("az … delete") : null;
            case "python", "python3" -> pythonModulePublish(w, i);
            default -> null;
        };
    }

    private static Finding privilege(String detail) {
        return new Finding(CommandRule.PRIVILEGE_ESCALATION, detail);
    }

    private static Finding host(String detail) {
        return new Finding(CommandRule.HOST_DISRUPT, detail);
    }

    private static Finding publish(String detail) {
        return new Finding(CommandRule.PUBLISH, detail);
    }

    private static Finding remote(String detail) {
        return new Finding(CommandRule.REMOTE_DESTROY, detail);
    }

    // ---------------------------------------------------------------- privilege

    private static final String[] NO_CLAUSES = {};

    /** {@code u+s}, {@code +s}, {@code a+s}, {@code u=rwxs}, {@code 4755}, {@code 6755}: the setuid bit. */
    private static boolean setuid(List<Word> w, int i) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("--")) {
                continue;
            }
            for (String clause : a.indexOf('s') < 0 ? NO_CLAUSES : a.split(",")) {
                int op = Math.max(clause.indexOf('+'), clause.indexOf('='));
                if (op >= 0 && clause.indexOf('s', op) > op) {
                    String who = clause.substring(0, op);
                    if (who.isEmpty() || who.indexOf('u') >= 0 || who.indexOf('a') >= 0) {
                        return true;
                    }
                }
            }
            if (a.length() >= 4 && a.length() <= 5 && a.chars().allMatch(ch -> ch >= '0' && ch <= '7')) {
                char special = a.charAt(a.length() - 4);
                if (special == '4' || special == '6' || special == '5' || special == '7') {
                    return true;
                }
            }
            if (!a.startsWith("-")) {
                return false; // the mode is the first operand; the rest are files
            }
        }
        return false;
    }

    /**
     * {@code docker run} or {@code create} with {@code --privileged}, added capabilities, the host's process or
     * user namespace, the host's root or the container engine's socket mounted; {@code docker push} publishes.
     */
    private static Finding container(String name, List<Word> w, int i) {
        String verb = firstOperandAmong(w, i, CONTAINER_VERBS);
        if (verb.equals("push")) {
            return publish(name + " push");
        }
        if (verb.equals("buildx") && has(w, i, "--push")) {
            return publish(name + " buildx build --push");
        }
        if (!verb.equals("run") && !verb.equals("create") && !verb.equals("exec")) {
            return null;
        }
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            String value = j + 1 < w.size() ? w.get(j + 1).text() : "";
            int eq = a.indexOf('=');
            String flag = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
            }
            switch (flag) {
                case "--privileged" -> {
                    return privilege(name + " " + verb + " --privileged");
                }
                case "--cap-add" -> {
                    String cap = value.toUpperCase(Locale.ROOT);
                    if (cap.equals("ALL")
                            || cap.contains("SYS_ADMIN")
                            || cap.contains("SYS_MODULE")
                            || cap.contains("SYS_PTRACE")
                            || cap.contains("DAC_READ_SEARCH")) {
                        return privilege(name + " " + verb + " --cap-add " + value);
                    }
                }
                case "--pid", "--userns", "--ipc", "--uts", "--cgroupns" -> {
                    if (value.equals("host")) {
                        return privilege(name + " " + verb + " " + flag + "=host");
                    }
                }
                case "-v", "--volume", "--mount" -> {
                    if (mountsHost(value)) {
                        return privilege(name + " " + verb + " mounts " + value);
                    }
                }
                default -> {}
            }
        }
        return null;
    }

    /** A bind of the host's root, a system directory, home, or the container engine's socket. */
    private static boolean mountsHost(String spec) {
        String source = spec;
        if (spec.contains("source=") || spec.contains("src=")) {
            for (String part : spec.split(",")) {
                if (part.startsWith("source=") || part.startsWith("src=")) {
                    source = part.substring(part.indexOf('=') + 1);
                }
            }
        } else {
            int colon = spec.indexOf(':');
            source = colon > 0 ? spec.substring(0, colon) : spec;
        }
        return source.equals("/")
                || source.endsWith(".sock")
                || source.startsWith("/var/run/docker")
                || source.startsWith("/run/")
                || source.equals("/etc")
                || source.startsWith("/etc/")
                || source.equals("/root")
                || source.equals("/proc")
                || source.equals("/sys")
                || source.equals("/dev")
                || source.equals("/boot")
                || source.equals("/home")
                || source.equals("~")
                || source.equals("$HOME");
    }

    // ---------------------------------------------------------------- the host

    private static Finding systemctl(List<Word> w, int i) {
        List<String> ops = operands(w, i);
        if (ops.isEmpty()) {
            return null;
        }
        String verb = ops.get(0);
        return switch (verb) {
            case "poweroff",
                    "reboot",
                    "halt",
                    "kexec",
                    "suspend",
                    "hibernate",
                    "hybrid-sleep",
                    "emergency",
                    "rescue",
                    "isolate",
                    "soft-reboot" -> host("systemctl " + verb);
            case "stop", "kill", "disable", "mask" -> has(w, i, "--user") ? null : host("systemctl " + verb);
            case "enable", "link", "edit", "set-default", "revert", "preset" -> new Finding(
                    CommandRule.SYSTEM_WRITE, "systemctl " + verb + " installs or changes a service");
            default -> null;
        };
    }

    private static boolean killsEverything(List<Word> w, int i) {
        for (String target : operands(w, i)) {
            if (target.equals("1")) {
                return true;
            }
        }
        // `kill -9 -1`, `kill -- -1`: the pid -1 looks like an option; right after `kill` it is the signal
        for (int j = i + 2; j < w.size(); j++) {
            if (w.get(j).text().equals("-1")) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code su}, {@code su -}, {@code su root}: a root shell, with no command ({@code -c}) and no script after the
     * user. A shell as a service user ({@code su - app}) stays allowed.
     */
    private static boolean interactiveSu(List<Word> w, int i) {
        if (hasPrefix(w, i, "-c") || hasPrefix(w, i, "--command") || hasPrefix(w, i, "--session-command")) {
            return false;
        }
        List<String> ops = new ArrayList<>(operands(w, i));
        ops.remove("-");
        return ops.isEmpty() || (ops.size() == 1 && ops.get(0).equals("root"));
    }

    private static boolean firewallChange(List<Word> w, int i) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            switch (a) {
                case "-F",
                        "--flush",
                        "-X",
                        "--delete-chain",
                        "-P",
                        "--policy",
                        "-D",
                        "--delete",
                        "-A",
                        "--append",
                        "-I",
                        "--insert",
                        "-R",
                        "--replace",
                        "-N",
                        "--new-chain",
                        "-Z",
                        "--zero" -> {
                    return true;
                }
                default -> {}
            }
        }
        return false;
    }

    private static boolean firewallCmdChanges(List<Word> w, int i) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("--add-")
                    || a.startsWith("--remove-")
                    || a.equals("--panic-on")
                    || a.startsWith("--set-")
                    || a.equals("--reload")
                    || a.equals("--complete-reload")) {
                return true;
            }
        }
        return false;
    }

    /** {@code crontab file}, {@code crontab -}, {@code crontab -r}; not {@code -l}. */
    private static boolean installsCrontab(List<Word> w, int i) {
        if (has(w, i, "-l")) {
            return false;
        }
        return has(w, i, "-r") || has(w, i, "-e") || has(w, i, "-") || operandsAfter(w, i) > 0;
    }

    // ---------------------------------------------------------------- publishing

    private static Finding nodePublish(String name, List<Word> w, int i) {
        int first = operandAt(w, i + 1, Set.of());
        if (first < 0 || !NODE_VERBS.contains(w.get(first).text())) {
            return null; // npm test, npm ci, npm run build: no list of operands needed
        }
        List<String> ops = operands(w, i);
        if (ops.isEmpty()) {
            return null;
        }
        String verb = ops.get(0);
        if (name.equals("yarn") && verb.equals("npm") && ops.size() > 1) {
            verb = ops.get(1); // yarn npm publish
        }
        if (name.equals("changeset") || name.equals("lerna")) {
            return verb.equals("publish") ? publish(name + " publish") : null;
        }
        if (!NPM_PUBLISHING.contains(verb) || has(w, i, "--dry-run")) {
            return null;
        }
        if (verb.equals("dist-tag") || verb.equals("owner")) {
            String sub = ops.size() > 1 ? ops.get(1) : "";
            return sub.equals("ls") || sub.equals("list") ? null : publish(name + " " + verb + " " + sub);
        }
        return publish(name + " " + verb);
    }

    /** The {@code deploy} phase, {@code deploy:*} and {@code release:perform}; {@code install} stays local. */
    /** {@code gem push}, {@code cargo yank}: the first operand, when it is one of a registry's publishing verbs. */
    private static Finding registryVerb(String name, List<Word> w, int i, Set<String> verbs) {
        int first = operandAt(w, i + 1, Set.of());
        String verb = first < 0 ? "" : w.get(first).text();
        return verbs.contains(verb) ? publish(name + " " + verb) : null;
    }

    private static Finding mavenDeploy(List<Word> w, int i) {
        for (int j = operandAt(w, i + 1, MAVEN_VALUE_OPTIONS); j >= 0; j = operandAt(w, j + 1, MAVEN_VALUE_OPTIONS)) {
            String goal = w.get(j).text();
            if (goal.equals("deploy") || goal.startsWith("deploy:") || goal.equals("release:perform")) {
                return publish("mvn " + goal);
            }
        }
        return null;
    }

    /** Tasks named {@code publish…} or {@code uploadArchives}, except {@code publishToMavenLocal}. */
    private static Finding gradlePublish(List<Word> w, int i) {
        for (int j = operandAt(w, i + 1, GRADLE_VALUE_OPTIONS); j >= 0; j = operandAt(w, j + 1, GRADLE_VALUE_OPTIONS)) {
            String task = w.get(j).text();
            String t = task.substring(task.lastIndexOf(':') + 1);
            if ((t.startsWith("publish") && !t.endsWith("ToMavenLocal") && !t.equals("publishToMavenLocal"))
                    || t.equals("uploadArchives")) {
                return publish("gradle " + task);
            }
        }
        return null;
    }

    private static Finding pythonModulePublish(List<Word> w, int i) {
        for (int j = i + 1; j + 1 < w.size(); j++) {
            if (w.get(j).text().equals("-m")) {
                String module = w.get(j + 1).text();
                String verb = module.equals("twine") ? "upload" : "publish";
                if (PYTHON_PUBLISHERS.contains(module)
                        && j + 2 < w.size()
                        && w.get(j + 2).text().equals(verb)) {
                    return publish("python -m " + module + " " + verb);
                }
                return null;
            }
        }
        return null;
    }

    private static Finding github(List<Word> w, int i) {
        List<String> ops = operands(w, i);
        if (ops.size() < 2) {
            return null;
        }
        String what = ops.get(0) + " " + ops.get(1);
        return switch (what) {
            case "release create", "release upload", "release edit" -> publish("gh " + what);
            case "repo delete", "release delete" -> remote("gh " + what);
            default -> null;
        };
    }

    // ---------------------------------------------------------------- remote resources

    private static Finding infraDestroy(String name, List<Word> w, int i) {
        List<String> ops = operands(w, i);
        // `terraform destroy`, `terragrunt run-all destroy`, `terraform apply -destroy`; a plan only shows it
        if (ops.contains("destroy") || (ops.contains("apply") && has(w, i, "-destroy"))) {
            return remote(name + " destroy");
        }
        if (name.equals("pulumi")
                && ops.size() > 1
                && ops.get(0).equals("stack")
                && ops.get(1).equals("rm")) {
            return remote("pulumi stack rm");
        }
        return null;
    }

    private static Finding kubeDelete(String name, List<Word> w, int i) {
        List<String> ops = operands(w, i);
        int delete = ops.indexOf("delete"); // past `-n prod` and other global options
        if (delete < 0 || has(w, i, "--dry-run=client") || has(w, i, "--dry-run=server")) {
            return null;
        }
        if (has(w, i, "--all") || has(w, i, "-A") || has(w, i, "--all-namespaces")) {
            return remote(name + " delete --all");
        }
        for (int k = delete + 1; k < ops.size(); k++) {
            for (String kind : ops.get(k).split(",")) {
                String bare = kind.contains("/") ? kind.substring(0, kind.indexOf('/')) : kind;
                if (CLUSTER_KINDS.contains(bare.toLowerCase(Locale.ROOT))) {
                    return remote(name + " delete " + bare);
                }
            }
        }
        return null;
    }

    /** {@code aws s3 rb}, {@code aws s3 rm --recursive}, and any {@code delete-*} or {@code terminate-*} call. */
    private static Finding aws(List<Word> w, int i) {
        List<String> ops = operands(w, i); // global options' values (--region x) may come first
        for (int k = 0; k + 1 < ops.size(); k++) {
            String service = ops.get(k);
            String call = ops.get(k + 1);
            if (service.equals("s3") && (call.equals("rb") || (call.equals("rm") && has(w, i, "--recursive")))) {
                return remote("aws s3 " + call);
            }
            if (call.startsWith("delete-") || call.startsWith("terminate-") || call.startsWith("deregister-")) {
                return remote("aws " + service + " " + call);
            }
        }
        return null;
    }

    private static Finding gsutil(List<Word> w, int i) {
        List<String> ops = operands(w, i);
        if (ops.isEmpty()) {
            return null;
        }
        boolean recursive = has(w, i, "-r") || has(w, i, "-R") || has(w, i, "-rf") || has(w, i, "-m");
        return ops.get(0).equals("rb") || (ops.get(0).equals("rm") && recursive)
                ? remote("gsutil " + ops.get(0))
                : null;
    }

    // ---------------------------------------------------------------- words

    /** {@code --help} only: {@code -h} is "halt" to shutdown and a host name to docker. */
    private static boolean asksForHelp(List<Word> w, int i) {
        return has(w, i, "--help");
    }

    private static boolean has(List<Word> w, int i, String option) {
        for (int j = i + 1; j < w.size(); j++) {
            if (w.get(j).text().equals(option)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasPrefix(List<Word> w, int i, String prefix) {
        for (int j = i + 1; j < w.size(); j++) {
            if (w.get(j).text().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasOperandContaining(List<Word> w, int i, char c) {
        for (String op : operands(w, i)) {
            if (op.indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The words after the command that are not options ({@code -x}, {@code --x}, {@code --x=y}). */
    private static List<String> operands(List<Word> w, int i) {
        List<String> out = new ArrayList<>();
        for (int j = operandAt(w, i + 1, Set.of()); j >= 0; j = operandAt(w, j + 1, Set.of())) {
            out.add(w.get(j).text());
        }
        return out;
    }

    /** The index of the first operand at or after {@code from}, skipping options and their values; -1 if none. */
    private static int operandAt(List<Word> w, int from, Set<String> valueOptions) {
        for (int j = from; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.length() > 1 && a.charAt(0) == '-') {
                j += valueOptions.contains(a) ? 1 : 0;
                continue;
            }
            return j;
        }
        return -1;
    }

    /** The first operand, anywhere after the command, that is one of {@code wanted}; "" when none is. */
    private static String firstOperandAmong(List<Word> w, int i, Set<String> wanted) {
        for (int j = operandAt(w, i + 1, Set.of()); j >= 0; j = operandAt(w, j + 1, Set.of())) {
            String a = w.get(j).text();
            if (wanted.contains(a)) {
                return a;
            }
        }
        return "";
    }

    private static int operandsAfter(List<Word> w, int i) {
        return operands(w, i).size();
    }

    private static boolean firstOperandIs(List<Word> w, int i, String verb) {
        List<String> ops = operands(w, i);
        return !ops.isEmpty() && ops.get(0).equals(verb);
    }

    private static boolean firstOperandIn(List<Word> w, int i, Set<String> verbs) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (verbs.contains(a)) {
                return true;
            }
            if (!a.startsWith("-")) {
                return false;
            }
        }
        return false;
    }

    private static boolean operandPathIs(List<Word> w, int i, String first, String second) {
        List<String> ops = operands(w, i);
        return ops.size() >= 2 && ops.get(0).equals(first) && ops.get(1).equals(second);
    }
}
