package dev.loopline.schemas.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * The native loop spec ({@code loopline.yaml}); schema {@code spec/loop-spec.schema.json}. Other formats
 * are read into this model. Optional parts are {@code null} when absent; use the accessors with
 * defaults ({@link #teamOrDefault()}, ...) instead of repeating the defaults elsewhere.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoopSpec(
        String id,
        String name,
        String team,
        Kind kind,
        Level level,
        String cadence,
        Integer priority,
        Boolean paused,
        Target target,
        String task,
        Test test,
        Maker maker,
        Allowlist allowlist,
        Budget budget,
        Cost cost,
        String cron,
        String timezone,
        List<PauseWindow> pauseWindows,
        Commands commands) {

    public static final String DEFAULT_TEAM = "default";
    public static final int DEFAULT_PRIORITY = 100;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final String DEFAULT_TIMEZONE = "UTC";

    public LoopSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(target, "target");
        pauseWindows = pauseWindows == null ? null : List.copyOf(pauseWindows);
    }

    /** A spec without loop-specific command rules, as before {@link #commands()} existed. */
    public LoopSpec(
            String id,
            String name,
            String team,
            Kind kind,
            Level level,
            String cadence,
            Integer priority,
            Boolean paused,
            Target target,
            String task,
            Test test,
            Maker maker,
            Allowlist allowlist,
            Budget budget,
            Cost cost,
            String cron,
            String timezone,
            List<PauseWindow> pauseWindows) {
        this(
                id,
                name,
                team,
                kind,
                level,
                cadence,
                priority,
                paused,
                target,
                task,
                test,
                maker,
                allowlist,
                budget,
                cost,
                cron,
                timezone,
                pauseWindows,
                null);
    }

    /** A spec without cron, time zone and pause windows, as before those fields existed. */
    public LoopSpec(
            String id,
            String name,
            String team,
            Kind kind,
            Level level,
            String cadence,
            Integer priority,
            Boolean paused,
            Target target,
            String task,
            Test test,
            Maker maker,
            Allowlist allowlist,
            Budget budget,
            Cost cost) {
        this(
                id, name, team, kind, level, cadence, priority, paused, target, task, test, maker, allowlist, budget,
                cost, null, null, null, null);
    }

    /** A spec without token estimates ({@link #cost()}), as before the field existed. */
    public LoopSpec(
            String id,
            String name,
            String team,
            Kind kind,
            Level level,
            String cadence,
            Integer priority,
            Boolean paused,
            Target target,
            String task,
            Test test,
            Maker maker,
            Allowlist allowlist,
            Budget budget) {
        this(
                id, name, team, kind, level, cadence, priority, paused, target, task, test, maker, allowlist, budget,
                null, null, null, null, null);
    }

    public String teamOrDefault() {
        return team == null ? DEFAULT_TEAM : team;
    }

    public int priorityOrDefault() {
        return priority == null ? DEFAULT_PRIORITY : priority;
    }

    public String timezoneOrDefault() {
        return timezone == null ? DEFAULT_TIMEZONE : timezone;
    }

    public List<PauseWindow> pauseWindowsOrEmpty() {
        return pauseWindows == null ? List.of() : pauseWindows;
    }

    public boolean isPaused() {
        return Boolean.TRUE.equals(paused);
    }

    public int maxAttempts() {
        return budget == null || budget.maxAttempts() == null ? DEFAULT_MAX_ATTEMPTS : budget.maxAttempts();
    }

    /** The same spec with another target repository (specs resolve relative repo paths on load). */
    public LoopSpec withTarget(Target newTarget) {
        return new LoopSpec(
                id,
                name,
                team,
                kind,
                level,
                cadence,
                priority,
                paused,
                newTarget,
                task,
                test,
                maker,
                allowlist,
                budget,
                cost,
                cron,
                timezone,
                pauseWindows,
                commands);
    }

    /** The same spec at another autonomy level (the scheduler caps a spec to the level it is ready for). */
    public LoopSpec withLevel(Level newLevel) {
        return new LoopSpec(
                id,
                name,
                team,
                kind,
                newLevel,
                cadence,
                priority,
                paused,
                target,
                task,
                test,
                maker,
                allowlist,
                budget,
                cost,
                cron,
                timezone,
                pauseWindows,
                commands);
    }

    public enum Kind {
        @JsonProperty("report")
        REPORT,
        @JsonProperty("triage")
        TRIAGE,
        @JsonProperty("assisted-fix")
        ASSISTED_FIX
    }

    /** Autonomy levels: L0 plan only, L1 report-only, L2 propose for approval, L3 unattended in the allowlist. */
    public enum Level {
        L0,
        L1,
        L2,
        L3
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Target(String repo, String baseRef, List<String> refs) {
        public static final String DEFAULT_BASE_REF = "main";

        public Target {
            Objects.requireNonNull(repo, "target.repo");
            refs = refs == null ? null : List.copyOf(refs);
        }

        public Target(String repo, String baseRef) {
            this(repo, baseRef, null);
        }

        public String baseRefOrDefault() {
            return baseRef == null ? DEFAULT_BASE_REF : baseRef;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Test(String command, Integer timeoutSeconds) {
        public static final int DEFAULT_TIMEOUT_SECONDS = 600;

        public int timeoutSecondsOrDefault() {
            return timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Maker(
            String type,
            String model,
            String command,
            List<Edit> edits,
            Integer tokensPerRun,
            String baseUrl,
            String apiKeyEnv) {

        public Maker(String type, String model, String command, List<Edit> edits, Integer tokensPerRun) {
            this(type, model, command, edits, tokensPerRun, null, null);
        }
    }

    /** A scripted edit of the mock maker: write a file, append to it, or delete it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Edit(String path, String write, String append, Boolean delete) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Allowlist(List<String> allow, List<String> deny, Integer maxFiles, Integer maxLines) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Budget(Long tokensPerRun, Long dailyTokens, Integer maxAttempts, Integer wallClockSeconds) {

        public Budget(Long tokensPerRun, Long dailyTokens, Integer maxAttempts) {
            this(tokensPerRun, dailyTokens, maxAttempts, null);
        }
    }

    /**
     * Expected tokens of one run by outcome (the loop-engineering cost scenarios): nothing to do (early
     * exit), a full triage/report, and a run that acts (all attempts). Estimates for planning, not caps.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cost(Long tokensNoop, Long tokensReport, Long tokensAction) {}

    /**
     * The loop's own command rules, on top of the built-in command guard: extra denies, and exceptions to a
     * built-in rule for a specific command.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Commands(List<CommandDeny> deny, List<CommandAllow> allow) {}

    /** Deny {@code command} (after wrappers such as sudo or sh -c), optionally only when its arguments match {@code args}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CommandDeny(String id, String reason, String command, String args) {}

    /** Let a command matching {@code command} through the built-in rule {@code rule}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CommandAllow(String rule, String command) {}

    /**
     * Local times (in the spec's time zone) when the loop must not start: from {@code from} on each of
     * {@code days} (every day when absent) to {@code to}, the next day when {@code to} is earlier, 24 hours
     * when equal. Days are {@code mon} ... {@code sun}; times {@code HH:MM}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PauseWindow(List<String> days, String from, String to) {
        public PauseWindow {
            days = days == null ? null : List.copyOf(days);
        }
    }
}
