package dev.loopline.core.guard.command;

/** The built-in rules of the command guard: one place for every stable id and its human reason. */
public enum CommandRule {
    UNPARSEABLE("unparseable", "the command could not be parsed, so it cannot be shown to be safe"),
    GIT_FORCE_PUSH("git-force-push", "force push rewrites the remote history other people build on"),
    GIT_REMOTE_DELETE("git-remote-delete", "deletes a branch or tag on the remote"),
    GIT_HISTORY_REWRITE("git-history-rewrite", "rewrites or discards git history"),
    GIT_CLEAN("git-clean", "git clean -f permanently deletes untracked files"),
    RECURSIVE_DELETE("fs-recursive-delete", "recursive or wide deletion of files"),
    DISK_DESTROY("disk-destroy", "overwrites or reformats a disk or filesystem"),
    FORK_BOMB("fork-bomb", "a function that spawns itself without bound exhausts the machine"),
    PERMISSION_WIDE("perm-recursive-wide", "recursive permission or ownership change on a wide path"),
    REMOTE_CODE_EXEC("remote-code-exec", "runs code downloaded from the network in a shell"),
    SECRET_WRITE("secret-write", "writes into a location that holds secrets or credentials"),
    DYNAMIC_COMMAND(
            "dynamic-command",
            "the command to run comes from a variable or substitution that cannot be resolved statically"),
    OBFUSCATED_EXEC("obfuscated-exec", "runs code that is decoded or generated at run time, so it cannot be checked"),
    SECRET_EXFILTRATION("secret-exfiltration", "sends the environment, credentials or keys to the network"),
    SECRET_READ("secret-read", "reads a credential store outside the worktree (keys, cloud or registry credentials)"),
    RAW_SOCKET("network-raw-socket", "opens a raw network connection or reverse shell from the shell"),
    SYSTEM_WRITE(
            "system-write",
            "changes the system outside the worktree: its configuration, programs, services, scheduled jobs or"
                    + " shell start-up files"),
    PRIVILEGE_ESCALATION(
            "privilege-escalation",
            "gains privilege: setuid bits, capabilities, accounts and passwords, mounts, a root shell, or a"
                    + " container with the host's powers"),
    HOST_DISRUPT("host-disrupt", "stops the machine, its services, its firewall or every process on it"),
    PUBLISH(
            "publish",
            "publishes a package, image or release from the worktree; a loop's change ships only through the gate"),
    REMOTE_DESTROY("remote-destroy", "deletes cloud or cluster resources, storage buckets or a repository");

    private final String id;
    private final String reason;

    CommandRule(String id, String reason) {
        this.id = id;
        this.reason = reason;
    }

    public String id() {
        return id;
    }

    public String reason() {
        return reason;
    }

    Decision.Block block(String offendingCommand) {
        return new Decision.Block(id, reason, offendingCommand);
    }

    Decision.Block block(String detail, String offendingCommand) {
        return new Decision.Block(id, reason + ": " + detail, offendingCommand);
    }
}
