package dev.loopline.state.loop;

import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.schemas.events.TriageReport;
import dev.loopline.schemas.http.LoopMemory;
import dev.loopline.state.budget.BudgetOverviewService;
import dev.loopline.state.budget.BudgetScope;
import dev.loopline.state.control.ControlService;
import dev.loopline.state.runlog.LoopSummary;
import dev.loopline.state.runlog.TickEntity;
import dev.loopline.state.runlog.TickQueryService;
import dev.loopline.state.runlog.TickRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The run log and the loops' state in the loop-engineering Markdown conventions: {@code STATE.md} (one section per
 * loop plus a Global block, unknown values {@code unset}) and {@code loop-run-log.md} (an append-only table).
 */
@ApplicationScoped
public class ExportService {

    static final String UNSET = "unset";

    /** Open items listed per loop; more are counted. */
    private static final int OPEN_ITEMS_SHOWN = 5;

    @Inject
    TickRepository ticks;

    @Inject
    TickQueryService queries;

    @Inject
    BudgetOverviewService budget;

    @Inject
    ControlService control;

    @Inject
    LoopMemoryService memory;

    /** Triage findings listed per loop in STATE.md; more are counted. */
    static final int FINDINGS_SHOWN = 20;

    /** How a tick outcome reads in the run log's {@code result} and {@code action} columns. */
    public record RunLogMapping(String result, String action) {

        /**
         * result: clean (nothing to do), found (something found or changed), escalated (a human must act), error,
         * halted (stopped from outside: a kill switch, a budget).
         * action: none, wrote-state (a report), opened-pr (branch pushed for review), committed (merged),
         * escalated-to-human.
         */
        public static RunLogMapping of(String outcome) {
            if (outcome == null) {
                return new RunLogMapping(UNSET, UNSET);
            }
            return switch (outcome) {
                case "no-op" -> new RunLogMapping("clean", "none");
                case "reported" -> new RunLogMapping("found", "wrote-state");
                case "proposed" -> new RunLogMapping("found", "opened-pr");
                case "merged" -> new RunLogMapping("found", "committed");
                case "awaiting-approval", "escalated" -> new RunLogMapping("escalated", "escalated-to-human");
                    // the checker refused every attempt: the loop found work but changed nothing
                case "rejected" -> new RunLogMapping("found", "none");
                case "error" -> new RunLogMapping("error", "none");
                    // stopped from outside (kill switch, budget): nothing ran to its end, nothing changed
                case "halted" -> new RunLogMapping("halted", "none");
                default -> new RunLogMapping(UNSET, UNSET);
            };
        }
    }

    /** {@code loop-run-log.md}: one row per completed tick, oldest first (the newest {@code limit}). */
    @Transactional
    public String runLog(String team, String loop, int limit) {
        List<TickEntity> completed = ticks.recentlyCompleted(team, loop, limit);
        StringBuilder md = new StringBuilder();
        md.append("# Loop run log\n\n");
        md.append("| time | pattern | result | action | artifact | notes |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (int i = completed.size() - 1; i >= 0; i--) {
            TickEntity t = completed.get(i);
            RunLogMapping mapping = RunLogMapping.of(t.outcome);
            md.append("| ")
                    .append(time(t.completedAt))
                    .append(" | ")
                    .append(cell(t.loopId))
                    .append(" | ")
                    .append(mapping.result())
                    .append(" | ")
                    .append(mapping.action())
                    .append(" | ")
                    .append(cell(artifact(t)))
                    .append(" | ")
                    .append(cell(notes(t)))
                    .append(" |\n");
        }
        return md.toString();
    }

    /** {@code STATE.md}: a Global block, then one section per loop in loop id order. */
    @Transactional
    public String state(String team) {
        List<LoopSummary> loops = queries.loops(team);
        Map<BudgetScope, BudgetOverviewService.ScopeBudget> budgets = budget.overview().stream()
                .collect(Collectors.toMap(BudgetOverviewService.ScopeBudget::scope, Function.identity()));
        Map<String, KillSwitch> switches =
                control.all().stream().collect(Collectors.toMap(KillSwitch::key, Function.identity()));
        Map<String, LoopMemory.TriageState> triage = memory.allTriage();
        List<LoopSection> sections = new ArrayList<>();
        for (LoopSummary loop : loops) {
            TickEntity last = ticks.findById(loop.lastTickId());
            List<TickEntity> open = ticks.openItems(loop.loopId(), OPEN_ITEMS_SHOWN + 1);
            sections.add(new LoopSection(loop, last, open));
        }

        StringBuilder md = new StringBuilder("# STATE\n\n## Global\n\n");
        BudgetScope globalScope = team == null ? BudgetScope.global() : new BudgetScope(BudgetScope.Kind.TEAM, team);
        field(md, "scope", team == null ? "all teams" : "team " + team);
        field(md, "loops", Integer.toString(loops.size()));
        field(
                md,
                "last run",
                sections.stream()
                        .map(s -> lastRun(s.last()))
                        .filter(t -> t != null)
                        .max(Instant::compareTo)
                        .map(ExportService::time)
                        .orElse(UNSET));
        field(md, "kill switch", killSwitch(switches, globalScope));
        field(md, "budget used", budgetUsed(budgets.get(globalScope)));
        field(
                md,
                "open items",
                Long.toString(sections.stream().mapToLong(s -> s.open().size()).sum()));
        field(md, "notes", UNSET);

        for (LoopSection s : sections) {
            BudgetScope scope = new BudgetScope(BudgetScope.Kind.LOOP, s.loop().loopId());
            md.append("\n## ").append(s.loop().loopId()).append("\n\n");
            field(md, "phase", s.last() == null || s.last().level == null ? UNSET : s.last().level);
            field(
                    md,
                    "last run",
                    Optional.ofNullable(lastRun(s.last()))
                            .map(ExportService::time)
                            .orElse(UNSET));
            field(
                    md,
                    "last result",
                    s.loop().lastOutcome() == null ? UNSET : s.loop().lastOutcome());
            LoopMemory.TriageState loopTriage = triage.get(s.loop().loopId());
            field(md, "cursor", cursor(loopTriage));
            field(md, "open items", openItems(s.open()));
            findings(md, loopTriage);
            field(md, "budget used", budgetUsed(budgets.get(scope)));
            String kill = killSwitch(switches, scope);
            field(md, "notes", "off".equals(kill) ? notesOf(s.last()) : "kill switch " + kill);
        }
        return md.toString();
    }

    /** Each ref's cursor, as {@code ref@sha}, and the tick that moved it; {@code n/a} for a loop that never triaged. */
    private static String cursor(LoopMemory.TriageState triage) {
        if (triage == null || triage.cursors().isEmpty()) {
            return "n/a";
        }
        String refs = triage.cursors().entrySet().stream()
                .map(e -> e.getKey() + "@" + e.getValue())
                .collect(Collectors.joining(", "));
        return refs + " (tick " + triage.tickId() + ", " + time(triage.time()) + ")";
    }

    /** The last grounded triage report: its counts, then one line per commit (bucket, SHA, subject). */
    private static void findings(StringBuilder md, LoopMemory.TriageState triage) {
        if (triage == null || triage.report() == null) {
            return;
        }
        TriageReport report = triage.report();
        field(
                md,
                "findings",
                report.decision().wireName() + ": " + report.high() + " high, " + report.watch() + " watch, "
                        + report.noise() + " noise"
                        + (Boolean.TRUE.equals(report.truncated()) ? " (more wait for the next run)" : ""));
        int shown = 0;
        for (TriageReport.Item item : report.items()) {
            if (shown++ == FINDINGS_SHOWN) {
                md.append("  - … ")
                        .append(report.items().size() - FINDINGS_SHOWN)
                        .append(" more\n");
                break;
            }
            md.append("  - ")
                    .append(item.bucket().wireName())
                    .append(' ')
                    .append(item.sha())
                    .append(' ')
                    .append(oneLine(item.subject()))
                    .append('\n');
        }
    }

    private record LoopSection(LoopSummary loop, TickEntity last, List<TickEntity> open) {}

    private static Instant lastRun(TickEntity tick) {
        if (tick == null) {
            return null;
        }
        return tick.completedAt != null ? tick.completedAt : tick.startedAt;
    }

    private static String openItems(List<TickEntity> open) {
        if (open.isEmpty()) {
            return "none";
        }
        String shown = open.stream()
                .limit(OPEN_ITEMS_SHOWN)
                .map(t -> t.tickId + " (" + t.outcome + ")")
                .collect(Collectors.joining(", "));
        return open.size() > OPEN_ITEMS_SHOWN ? shown + ", more" : shown;
    }

    private static String budgetUsed(BudgetOverviewService.ScopeBudget b) {
        if (b == null) {
            return UNSET;
        }
        String used = b.spent() + " tokens on " + b.day() + " (" + b.timeZone() + ")";
        return b.cap().isPresent() ? used + " of " + b.cap().getAsLong() : used;
    }

    private static String killSwitch(Map<String, KillSwitch> switches, BudgetScope scope) {
        KillSwitch global = switches.get("global:global");
        KillSwitch own = switches.get(scope.kind().wireName() + ":" + scope.id());
        KillSwitch killed = global != null && global.killed() ? global : own != null && own.killed() ? own : null;
        if (killed == null) {
            return "off";
        }
        return "killed (" + killed.scope().wireName() + ": " + killed.reason() + ", by " + killed.by() + ")";
    }

    private static String notesOf(TickEntity last) {
        if (last == null || last.reason == null || last.reason.isBlank()) {
            return UNSET;
        }
        return oneLine(last.reason);
    }

    private static String artifact(TickEntity t) {
        if (t.commitSha != null) {
            return t.commitSha;
        }
        return t.branch != null ? t.branch : "none";
    }

    private static String notes(TickEntity t) {
        StringBuilder notes = new StringBuilder(t.tickId)
                .append("; ")
                .append(t.tokens)
                .append(" tokens; ")
                .append(t.attempts)
                .append(t.attempts == 1 ? " attempt" : " attempts");
        if (t.reason != null && !t.reason.isBlank()) {
            notes.append("; ").append(t.reason);
        }
        return notes.toString();
    }

    private static void field(StringBuilder md, String name, String value) {
        md.append("- ").append(name).append(": ").append(oneLine(value)).append('\n');
    }

    private static String time(Instant instant) {
        return instant == null ? UNSET : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A table cell: one line, pipes escaped. */
    private static String cell(String value) {
        return oneLine(value).replace("|", "\\|");
    }

    private static String oneLine(String value) {
        return value.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
