package dev.loopline.bench.diff;

import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.DiffParser;
import dev.loopline.core.policy.AllowlistDecision;
import dev.loopline.core.policy.AllowlistPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** Allowlist decisions on 1,000 small parsed diffs (1-6 files, 2-40 lines); reported per diff. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AllowlistBenchmark {

    static final int DIFFS = 1000;
    private static final String[] PATHS = {
        "apps/web/src/components/Button.tsx",
        "apps/web/test/button.test.ts",
        "server/app/users/service.py",
        "server/app/users/auth_tokens.py",
        "server/tests/test_users.py",
        "apps/cli/src/main.ts",
        "deploy/prod.yaml",
        ".github/workflows/ci.yml",
        "server/app/migrations/0007_add_index.py",
        "docs/README.md",
        "apps/web/src/.env"
    };

    private final List<Diff> diffs = new ArrayList<>(DIFFS);
    private AllowlistPolicy policy;

    @Setup
    public void setUp() throws Exception {
        policy = AllowlistPolicy.builder()
                .deny(
                        ".env",
                        ".env.*",
                        "**/secrets/**",
                        "**/credentials/**",
                        "**/*_key*",
                        "**/*_secret*",
                        ".github/workflows/release.yml",
                        "server/alembic/**",
                        "deploy/**",
                        "server/app/**/auth*")
                .maxFiles(12)
                .allow(
                        "apps/web/src/**",
                        "apps/web/test/**",
                        "apps/desktop/src/**",
                        "apps/cli/src/**",
                        "server/app/**",
                        "server/tests/**")
                .build();
        Random rnd = new Random(42);
        for (int d = 0; d < DIFFS; d++) {
            StringBuilder sb = new StringBuilder();
            int files = 1 + rnd.nextInt(6);
            for (int f = 0; f < files; f++) {
                String p = PATHS[rnd.nextInt(PATHS.length)] + (f == 0 ? "" : "." + f);
                int lines = 1 + rnd.nextInt(20);
                sb.append("diff --git a/")
                        .append(p)
                        .append(" b/")
                        .append(p)
                        .append("\n--- a/")
                        .append(p)
                        .append("\n+++ b/")
                        .append(p)
                        .append("\n@@ -1,")
                        .append(lines)
                        .append(" +1,")
                        .append(lines)
                        .append(" @@\n");
                for (int i = 0; i < lines; i++) {
                    sb.append("-old ").append(i).append("\n+new ").append(i).append('\n');
                }
            }
            diffs.add(DiffParser.parse(sb.toString()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(DIFFS)
    public void decide(Blackhole bh) {
        for (Diff d : diffs) {
            AllowlistDecision decision = policy.evaluate(d);
            bh.consume(decision);
        }
    }

    /** The same work as {@link #decide}, for {@link CpuTimeHarness}: returns the number of allowed diffs. */
    int decideAll() {
        int allowed = 0;
        for (Diff d : diffs) {
            if (policy.evaluate(d).allowed()) {
                allowed++;
            }
        }
        return allowed;
    }
}
