package dev.loopline.bench.diff;

import dev.loopline.core.verify.GroundedResult;
import dev.loopline.core.verify.IsoResult;
import dev.loopline.core.verify.ShaVerifier;
import dev.loopline.core.verify.git.CliGitObjectLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * 100 claimed SHAs (80 real commits as full and short ids, 20 fabricated) checked against a real
 * 200-commit repository through the long-lived {@code git cat-file --batch-check} process; the
 * isomorphic variant adds one {@code git rev-list} process per batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ShaVerifyBenchmark {

    private Path work;
    private CliGitObjectLookup lookup;
    private ShaVerifier verifier;
    private final List<String> claims = new ArrayList<>();

    @Setup
    public void setUp() throws Exception {
        work = Files.createTempDirectory("loopline-bench-sha");
        List<String> commits = BenchRepos.repoWithCommits(work.resolve("repo"), 200);
        for (int i = 0; i < 80; i++) {
            String c = commits.get(i * 2);
            claims.add(i % 2 == 0 ? c : c.substring(0, 7 + i % 20));
        }
        for (int i = 0; i < 20; i++) {
            claims.add(String.format("%08x%032x", 0xdead0000 + i, i));
        }
        lookup = new CliGitObjectLookup(work.resolve("repo"));
        verifier = new ShaVerifier(lookup);
        long grounded = verifier.verifyGrounded(claims).stream()
                .filter(GroundedResult::grounded)
                .count();
        System.err.printf("%n[sha-verify] %d claims, %d grounded%n", claims.size(), grounded);
    }

    @TearDown
    public void tearDown() throws Exception {
        lookup.close();
        BenchRepos.deleteTree(work);
    }

    @Benchmark
    public List<GroundedResult> grounded100() {
        return verifier.verifyGrounded(claims);
    }

    @Benchmark
    public List<IsoResult> isomorphic100() {
        return verifier.verifyIsomorphic(claims);
    }
}
