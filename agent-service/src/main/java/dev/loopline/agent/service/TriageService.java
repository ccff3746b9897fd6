package dev.loopline.agent.service;

import dev.loopline.agent.client.LoopMemoryClient;
import dev.loopline.agent.config.AgentConfig;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import dev.loopline.core.io.GitMirror;
import dev.loopline.core.triage.CommitLog;
import dev.loopline.core.triage.TriageException;
import dev.loopline.core.triage.TriageStage;
import dev.loopline.core.triage.git.GitCommitLog;
import dev.loopline.core.verify.ShaVerifier;
import dev.loopline.core.verify.git.CliGitObjectLookup;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TriageReport;
import dev.loopline.schemas.http.LoopMemory;
import dev.loopline.schemas.spec.LoopSpec;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The triage stage of {@code report} and {@code triage} loops, before any maker: the loop's cursor from
 * state-service, the commits since it on the agent's mirror (core's {@link TriageStage}), then every SHA the report
 * cites checked with the checker's {@link ShaVerifier} on that mirror. A report with one SHA that is not grounded
 * invalidates the run ({@code error}, no report, the cursor stays). Otherwise: {@code no-op} and {@code report} end
 * the tick with the report (state-service then moves the cursor); {@code act} hands the report to the maker.
 */
@ApplicationScoped
public class TriageService {

    private static final Logger LOG = Logger.getLogger(TriageService.class);

    @Inject
    AgentConfig config;

    @Inject
    GitMirror mirrors;

    @Inject
    LoopMemoryClient memory;

    @Inject
    MeterRegistry registry;

    private final Git git = new Git();

    /** How the history of a mirror is read; a test may swap it for one that lies. */
    Function<Path, CommitLog> commitLogs = mirror -> new GitCommitLog(git, mirror);

    /** What the stage decided. */
    public sealed interface Triaged permits Done, Act {}

    /** The tick ends here: no-op, reported, or an error (no report, cursor kept). */
    public record Done(TickCompleted completed) implements Triaged {}

    /** High-priority commits in a loop allowed to act: the maker runs on {@code spec}, whose task carries the report. */
    public record Act(TriageReport report, LoopSpec spec) implements Triaged {}

    public static boolean runsTriage(LoopSpec spec) {
        return spec.kind() == LoopSpec.Kind.REPORT || spec.kind() == LoopSpec.Kind.TRIAGE;
    }

    public Triaged triage(String loopId, String tickId, LoopSpec spec) {
        LoopMemory.TriageState state;
        try {
            state = memory.triage(loopId);
        } catch (LoopMemoryClient.MemoryUnavailableException e) {
            return failed("triage not run: cannot read the loop's cursor from state-service: " + e.getMessage());
        }
        Path mirror;
        try {
            mirror = mirrors.sync(spec.target().repo());
        } catch (GitException | UncheckedIOException e) {
            return failed("cannot read target repository: " + e.getMessage());
        }
        TriageReport report;
        try {
            report = new TriageStage(
                            config.triage().firstRunCommits(), config.triage().maxCommits())
                    .triage(spec, state.cursors(), commitLogs.apply(mirror));
        } catch (TriageException e) {
            return failed("triage failed: " + e.getMessage());
        }
        TriageStage.Grounding grounding;
        try (CliGitObjectLookup lookup = new CliGitObjectLookup(mirror)) {
            grounding = TriageStage.ground(report, new ShaVerifier(lookup));
        }
        if (!grounding.accepted()) {
            registry.counter("loopline.agent.triage.refused").increment();
            LOG.warnf("tick %s: triage report refused: %s", tickId, grounding.reason());
            return failed("triage report refused, the run is invalid and the cursor is kept: not every cited SHA is"
                    + " a commit of the repository: " + grounding.reason());
        }
        registry.counter("loopline.agent.triage", "decision", report.decision().wireName())
                .increment();
        String summary = TriageStage.summary(report);
        LOG.infof("tick %s: %s", tickId, summary.lines().findFirst().orElse(summary));
        return switch (report.decision()) {
            case NO_OP -> new Done(TickCompleted.triaged(TickCompleted.Outcome.NO_OP, 0, summary, report));
            case REPORT -> new Done(TickCompleted.triaged(TickCompleted.Outcome.REPORTED, 0, summary, report));
            case ACT -> new Act(report, withReport(spec, summary));
        };
    }

    /** The maker's task with the report appended (core's {@link TriageStage#withReport}). */
    static LoopSpec withReport(LoopSpec spec, String summary) {
        return TriageStage.withReport(spec, summary);
    }

    private static Done failed(String reason) {
        return new Done(new TickCompleted(TickCompleted.Outcome.ERROR, 0, 0, reason, null, null));
    }
}
