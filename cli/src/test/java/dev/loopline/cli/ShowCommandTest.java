package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code show <loop>} against a stub state-service, and against loopline run's local state file. */
class ShowCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsTheLoopsStateAndRecentTicksFromTheDeployment() {
        try (StubApi state = new StubApi()) {
            state.answer(
                            "/api/v1/loops",
                            """
                            [{"loopId":"other","team":"web","level":"L1","tickCount":1,"openItems":0},
                             {"loopId":"docs","team":"platform","level":"L3","lastTickId":"t-2",
                              "lastOutcome":"merged","lastTickAt":"2026-12-07T01:00:00Z","tickCount":2,"openItems":1,
                              "admission":"halted","admissionReason":"kill switch on loop:docs",
                              "nextRunAt":"2026-12-07T02:00:00Z","paused":false}]
                            """)
                    .answer(
                            "/api/v1/ticks",
                            """
                            {"items":[{"tickId":"t-2","loopId":"docs","outcome":"merged","tokens":1200,
                                       "startedAt":"2026-12-07T01:00:00Z"},
                                      {"tickId":"t-1","loopId":"docs","status":"running","tokens":0,
                                       "startedAt":"2026-12-07T00:00:00Z"}]}
                            """);

            CliRun run = state.runAsState("secret-token", "show", "docs", "--limit", "5");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out())
                    .contains("loop       docs  (team platform, level L3)")
                    .contains("state      halted: kill switch on loop:docs")
                    .contains("ticks      2 in all, 1 open")
                    .contains("last       t-2 merged at 2026-12-07T01:00:00Z")
                    .contains("next run   2026-12-07T02:00:00Z")
                    .containsPattern("t-2 +merged +2026-12-07T01:00:00Z +1200")
                    .containsPattern("t-1 +running +2026-12-07T00:00:00Z +0");
            assertThat(state.requests())
                    .extracting(r -> r.path() + (r.query() == null ? "" : "?" + r.query()))
                    .containsExactly("/api/v1/loops", "/api/v1/ticks?limit=5&loop=docs");
            assertThat(state.requests()).allMatch(r -> "Bearer secret-token".equals(r.authorization()));
            assertThat(run.all()).doesNotContain("secret-token");
        }
    }

    @Test
    void listWithAStateUrlListsTheDeploymentsLoops() {
        try (StubApi state = new StubApi()) {
            state.answer(
                    "/api/v1/loops",
                    """
                    [{"loopId":"docs","team":"platform","level":"L3","admission":"run","lastOutcome":"merged",
                      "tickCount":2}]
                    """);

            CliRun run = state.runAsState("t", "list");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).containsPattern("docs +platform +L3 +run +merged +2");
            assertThat(state.only().path()).isEqualTo("/api/v1/loops");
        }
    }

    @Test
    void anUnknownLoopIsAUsageError() {
        try (StubApi state = new StubApi()) {
            state.answer("/api/v1/loops", "[]");

            CliRun run = state.runAsState("t", "show", "nope");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("no loop 'nope' in the deployment");
        }
    }

    @Test
    void readsLoopRunsStateFile() throws Exception {
        Path file = dir.resolve("state.json");
        Files.writeString(
                file,
                """
                {"loops":{"docs":{"cursors":{"main":"abc"},"ticks":[
                  {"tickId":"run-1","time":"2000-01-01T00:00:00Z","level":"L2","maker":"mock","dryRun":true,
                   "outcome":"escalated","tokens":50}]}}}
                """);

        CliRun run = CliRun.run("", "show", "docs", "--state-file", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("cursors    {main=abc}")
                .contains("today      0 tokens")
                .containsPattern("run-1 +escalated \\(dry\\) +2000-01-01T00:00:00Z +50");

        CliRun missing = CliRun.run("", "show", "other", "--state-file", file.toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("no tick of 'other'");
    }
}
