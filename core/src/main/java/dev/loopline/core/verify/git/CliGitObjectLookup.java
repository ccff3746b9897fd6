package dev.loopline.core.verify.git;

import dev.loopline.core.verify.GitObjectLookup;
import dev.loopline.core.verify.GitUnavailableException;
import dev.loopline.core.verify.ObjectInfo;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link GitObjectLookup} over the git CLI. Literal lookups go through ONE long-lived {@code git
 * cat-file --batch-check} process per instance (one repository), so a hundred claims cost one
 * process, not a hundred. The re-derivation runs one {@code git rev-list --no-walk --ignore-missing
 * --stdin} per batch. Git runs with {@code LC_ALL=C}, no terminal prompts, replace refs disabled,
 * no discovery above the repository, and without inherited {@code GIT_DIR}-style variables. Every
 * failure is judged by process state and exit status (never by stderr text) and reported as {@link
 * GitUnavailableException}.
 */
public final class CliGitObjectLookup implements GitObjectLookup {

    private static final String EOF = "\u0000eof";

    private final Path repo;
    private final String gitExecutable;
    private final Duration timeout;
    private Process batch;
    private Writer batchIn;
    private BlockingQueue<String> batchOut;

    public CliGitObjectLookup(Path repo) {
        this(repo, "git", Duration.ofSeconds(10));
    }

    public CliGitObjectLookup(Path repo, String gitExecutable, Duration timeout) {
        this.repo = Objects.requireNonNull(repo, "repo").toAbsolutePath().normalize();
        this.gitExecutable = Objects.requireNonNull(gitExecutable, "gitExecutable");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public synchronized List<ObjectInfo> lookup(List<String> names) throws GitUnavailableException {
        for (String n : names) {
            if (n.isEmpty() || n.indexOf('\n') >= 0 || n.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("object name must be one non-empty line");
            }
        }
        ensureBatchProcess();
        try {
            StringBuilder sb = new StringBuilder();
            for (String n : names) {
                sb.append(n).append('\n');
            }
            batchIn.write(sb.toString());
            batchIn.flush();
        } catch (IOException e) {
            String status = exitStatus();
            fail();
            throw new GitUnavailableException("git cat-file stopped accepting input (exit " + status + ")", e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ObjectInfo> out = new ArrayList<>(names.size());
        for (String n : names) {
            String line;
            try {
                line = batchOut.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail();
                throw new GitUnavailableException("interrupted while waiting for git", e);
            }
            if (line == null) {
                fail();
                throw new GitUnavailableException("git cat-file timed out after " + timeout);
            }
            if (line == EOF) {
                String status = exitStatus();
                fail();
                throw new GitUnavailableException("git cat-file exited (status " + status + ")");
            }
            out.add(parse(n, line));
        }
        return out;
    }

    private static ObjectInfo parse(String query, String line) throws GitUnavailableException {
        if (line.equals(query + " missing")) {
            return ObjectInfo.missing(query);
        }
        if (line.equals(query + " ambiguous")) {
            return ObjectInfo.ambiguous(query);
        }
        String[] parts = line.split(" ");
        if (parts.length != 3) {
            throw new GitUnavailableException("unexpected git cat-file answer for " + query);
        }
        return ObjectInfo.found(query, parts[0], parts[1]);
    }

    @Override
    public Set<String> resolveCommits(List<String> names) throws GitUnavailableException {
        requireRepoDirectory();
        ProcessBuilder pb = builder(List.of("rev-list", "--no-walk=unsorted", "--ignore-missing", "--stdin"));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = start(pb);
        try {
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> copy(p.getInputStream(), stdout), "git-rev-list-reader");
            reader.setDaemon(true);
            reader.start();
            try (OutputStream in = p.getOutputStream()) {
                StringBuilder sb = new StringBuilder();
                for (String n : names) {
                    sb.append(n).append('\n');
                }
                in.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the process died early; its exit status decides below
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new GitUnavailableException("git rev-list timed out after " + timeout);
            }
            reader.join(timeout.toMillis());
            if (p.exitValue() != 0) {
                throw new GitUnavailableException("git rev-list exited with status " + p.exitValue());
            }
            Set<String> out = new LinkedHashSet<>();
            for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(line.strip());
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new GitUnavailableException("interrupted while waiting for git", e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // process gone; exit status is checked by the caller
        }
    }

    private void ensureBatchProcess() throws GitUnavailableException {
        if (batch != null && batch.isAlive()) {
            return;
        }
        fail();
        requireRepoDirectory();
        ProcessBuilder pb = builder(List.of("cat-file", "--batch-check"));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = start(pb);
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            queue.add(line);
                        }
                    } catch (IOException e) {
                        // stream closed: reported as EOF below
                    } finally {
                        queue.add(EOF);
                    }
                },
                "git-cat-file-reader");
        reader.setDaemon(true);
        reader.start();
        batch = p;
        batchOut = queue;
        batchIn = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
    }

    private void requireRepoDirectory() throws GitUnavailableException {
        if (!Files.isDirectory(repo)) {
            throw new GitUnavailableException("repository directory does not exist: " + repo);
        }
    }

    private ProcessBuilder builder(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(gitExecutable);
        cmd.add("-C");
        cmd.add(repo.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_"));
        env.put("LC_ALL", "C");
        env.put("LANG", "C");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_NO_REPLACE_OBJECTS", "1");
        Path parent = repo.getParent();
        if (parent != null) {
            env.put("GIT_CEILING_DIRECTORIES", parent.toString());
        }
        return pb;
    }

    private static Process start(ProcessBuilder pb) throws GitUnavailableException {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new GitUnavailableException(
                    "cannot start git: " + pb.command().get(0), e);
        }
    }

    private String exitStatus() {
        Process p = batch;
        if (p == null) {
            return "unknown";
        }
        try {
            return p.waitFor(200, TimeUnit.MILLISECONDS) ? String.valueOf(p.exitValue()) : "running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private void fail() {
        if (batch != null) {
            try {
                batchIn.close();
            } catch (IOException e) {
                // already gone
            }
            if (batch.isAlive()) {
                batch.destroyForcibly();
            }
        }
    }

    @Override
    public synchronized void close() {
        fail();
        batch = null;
    }
}
