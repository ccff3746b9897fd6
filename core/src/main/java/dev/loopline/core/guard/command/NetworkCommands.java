package dev.loopline.core.guard.command;

import java.util.Set;

/**
 * The one list of commands that talk to the network whatever their arguments: clients of HTTP, sockets, remote shells
 * and file copies, DNS and ICMP, mail, cloud and forge CLIs, container engines and package runners that fetch code. A
 * claude-code session that has taken in untrusted content may run none of them (agent-service's tainted policy); the
 * command guard treats each as a sink secrets must not reach ({@link #SINKS}, {@link Exfiltration}), except the two
 * named kinds whose ordinary use is different. One list so that a client added for one rule is never missing from the
 * other.
 */
public final class NetworkCommands {

    private NetworkCommands() {}

    /** Command names (as the guard resolves them: the last path segment, after wrappers). */
    public static final Set<String> CLIENTS = Set.of(
            // HTTP and raw sockets
            "curl",
            "wget",
            "aria2c",
            "http",
            "https",
            "xh",
            "httpie",
            "lwp-request",
            "POST",
            "fetch",
            "nc",
            "ncat",
            "netcat",
            "socat",
            "telnet",
            "websocat",
            "grpcurl",
            "openssl",
            // remote shells and file copies
            "ssh",
            "scp",
            "sftp",
            "rsync",
            "ftp",
            "tftp",
            "lftp",
            "rclone",
            // DNS and ICMP (both carry data out in names and payloads)
            "dig",
            "nslookup",
            "host",
            "drill",
            "ping",
            "ping6",
            "traceroute",
            // mail
            "sendmail",
            "mail",
            "mailx",
            "mutt",
            // forges, clouds, clusters and container engines
            "gh",
            "glab",
            "hub",
            "aws",
            "gsutil",
            "gcloud",
            "az",
            "kubectl",
            "docker",
            "podman",
            // package runners that fetch what they run
            "npx",
            "bunx",
            "pnpx",
            "pipx");

    /**
     * Clients whose ordinary use hands them the user's own credentials for their own service ({@code echo $GITHUB_TOKEN
     * | gh auth login --with-token}, {@code docker login --password-stdin}): the command guard does not call a token
     * given to them exfiltration. A tainted session still may not run them.
     */
    public static final Set<String> OWN_CREDENTIALS =
            Set.of("gh", "glab", "hub", "gcloud", "az", "kubectl", "docker", "podman");

    /**
     * Package runners: they fetch code and run it, which the guard's remote-code rules judge; they carry no data of
     * their own to the network. A tainted session still may not run them.
     */
    public static final Set<String> PACKAGE_RUNNERS = Set.of("npx", "bunx", "pnpx", "pipx");

    /** The sinks secrets must not reach: every client but those above. */
    public static final Set<String> SINKS = CLIENTS.stream()
            .filter(c -> !OWN_CREDENTIALS.contains(c) && !PACKAGE_RUNNERS.contains(c))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
}
