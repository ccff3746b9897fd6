package dev.loopline.core.triage.git;

import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import dev.loopline.core.io.ProcessRunner;
import dev.loopline.core.triage.Commit;
import dev.loopline.core.triage.CommitLog;
import dev.loopline.core.triage.TriageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@link CommitLog} over the git CLI, on a repository or a bare mirror. Failures become {@link TriageException}. */
public final class GitCommitLog implements CommitLog {

    private final Git git;
    private final Path repo;

    public GitCommitLog(Git git, Path repo) {
        this.git = Objects.requireNonNull(git, "git");
        this.repo = Objects.requireNonNull(repo, "repo");
    }

    @Override
    public String head(String ref) {
        try {
            return git.revParse(repo, ref);
        } catch (GitException e) {
            throw new TriageException("cannot resolve ref " + ref + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isAncestor(String sha, String head) {
        ProcessRunner.Result r =
                git.tryRun(repo, Map.of(), null, "merge-base", "--is-ancestor", "--end-of-options", sha, head);
        if (r.ok()) {
            return true;
        }
        if (r.exitCode() == 1) {
            return false;
        }
        // 128: not a commit here at all (a cursor from another history); anything else: git failed
        if (r.exitCode() == 128) {
            return false;
        }
        throw new TriageException("git merge-base failed (" + (r.timedOut() ? "timed out" : "exit " + r.exitCode())
                + "): " + r.outputTail(500).strip());
    }

    @Override
    public List<Commit> between(String since, String head, int max) {
        List<String> args = new ArrayList<>(List.of(
                "log",
                "--no-color",
                "--topo-order",
                "--format=%H%x1f%P%x1f%s%x1e",
                "--max-count=" + max,
                "--end-of-options"));
        args.add(since == null ? head : since + ".." + head);
        String out;
        try {
            out = git.run(repo, args.toArray(String[]::new));
        } catch (GitException e) {
            throw new TriageException("cannot read the history of " + head + ": " + e.getMessage(), e);
        }
        List<Commit> commits = new ArrayList<>();
        for (String record : out.split("\u001e")) {
            String r = record.strip();
            if (r.isEmpty()) {
                continue;
            }
            String[] f = r.split("\u001f", -1);
            if (f.length != 3) {
                throw new TriageException("unexpected git log record: " + r);
            }
            int parents = f[1].isBlank() ? 0 : f[1].strip().split(" ").length;
            commits.add(new Commit(f[0].strip(), parents, f[2]));
        }
        return commits;
    }
}
