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
        Commands commands,
        List<EventTrigger> on,
        @JsonProperty("protected") List<String> protectedPaths) {

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
        on = on == null ? null : List.copyOf(on);
        protectedPaths = protectedPaths == null ? null : List.copyOf(protectedPaths);
    }

    /** A builder with the four required components; every other component is optional ({@code null}). */
    public static Builder builder(String id, Kind kind, Level level, Target target) {
        return new Builder(id, kind, level, target);
    }

    /** A builder holding every component of this spec, to change a few of them. */
    public Builder toBuilder() {
        return new Builder(id, kind, level, target)
                .name(name)
                .team(team)
                .cadence(cadence)
                .priority(priority)
                .paused(paused)
                .task(task)
                .test(test)
                .maker(maker)
                .allowlist(allowlist)
                .budget(budget)
                .cost(cost)
                .cron(cron)
                .timezone(timezone)
                .pauseWindows(pauseWindows)
                .commands(commands)
                .on(on)
                .protectedPaths(protectedPaths);
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

    /** The event triggers ({@code on}); empty when the loop reacts to no event. */
    public List<EventTrigger> onOrEmpty() {
        return on == null ? List.of() : on;
    }

    /**
     * The spec's {@code protected} globs: files the checker pins on top of the harness it finds by itself (the
     * test command's scripts, build and test configuration, CI, snapshots). Empty when the spec adds none.
     */
    public List<String> protectedOrEmpty() {
        return protectedPaths == null ? List.of() : protectedPaths;
    }

    public boolean isPaused() {
        return Boolean.TRUE.equals(paused);
    }

    public int maxAttempts() {
        return budget == null || budget.maxAttempts() == null ? DEFAULT_MAX_ATTEMPTS : budget.maxAttempts();
    }

    /**
     * The tokens one run may spend: the spec's {@code budget.tokensPerRun}, else {@code fallback} (the deployment's
     * default).
     */
    public long tokensPerRunOr(long fallback) {
        return budget == null || budget.tokensPerRun() == null ? fallback : budget.tokensPerRun();
    }

    /** The same spec with another target repository (specs resolve relative repo paths on load). */
    public LoopSpec withTarget(Target newTarget) {
        return toBuilder().target(newTarget).build();
    }

    /** The same spec at another autonomy level (the scheduler caps a spec to the level it is ready for). */
    public LoopSpec withLevel(Level newLevel) {
        return toBuilder().level(newLevel).build();
    }

    /** Builds a {@link LoopSpec}: the required components in {@link LoopSpec#builder}, the rest by setter. */
    public static final class Builder {
        private String id;
        private Kind kind;
        private Level level;
        private Target target;
        private String name;
        private String team;
        private String cadence;
        private Integer priority;
        private Boolean paused;
        private String task;
        private Test test;
        private Maker maker;
        private Allowlist allowlist;
        private Budget budget;
        private Cost cost;
        private String cron;
        private String timezone;
        private List<PauseWindow> pauseWindows;
        private Commands commands;
        private List<EventTrigger> on;
        private List<String> protectedPaths;

        private Builder(String id, Kind kind, Level level, Target target) {
            this.id = id;
            this.kind = kind;
            this.level = level;
            this.target = target;
        }

        public Builder id(String value) {
            this.id = value;
            return this;
        }

        public Builder kind(Kind value) {
            this.kind = value;
            return this;
        }

        public Builder level(Level value) {
            this.level = value;
            return this;
        }

        public Builder target(Target value) {
            this.target = value;
            return this;
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder team(String value) {
            this.team = value;
            return this;
        }

        public Builder cadence(String value) {
            this.cadence = value;
            return this;
        }

        public Builder priority(Integer value) {
            this.priority = value;
            return this;
        }

        public Builder paused(Boolean value) {
            this.paused = value;
            return this;
        }

        public Builder task(String value) {
            this.task = value;
            return this;
        }

        public Builder test(Test value) {
            this.test = value;
            return this;
        }

        public Builder maker(Maker value) {
            this.maker = value;
            return this;
        }

        public Builder allowlist(Allowlist value) {
            this.allowlist = value;
            return this;
        }

        public Builder budget(Budget value) {
            this.budget = value;
            return this;
        }

        public Builder cost(Cost value) {
            this.cost = value;
            return this;
        }

        public Builder cron(String value) {
            this.cron = value;
            return this;
        }

        public Builder timezone(String value) {
            this.timezone = value;
            return this;
        }

        public Builder pauseWindows(List<PauseWindow> value) {
            this.pauseWindows = value;
            return this;
        }

        public Builder commands(Commands value) {
            this.commands = value;
            return this;
        }

        public Builder on(List<EventTrigger> value) {
            this.on = value;
            return this;
        }

        public Builder protectedPaths(List<String> value) {
            this.protectedPaths = value;
            return this;
        }

        /** @throws NullPointerException when a required component (id, kind, level, target) is null */
        public LoopSpec build() {
            return new LoopSpec(
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
                    commands,
                    on,
                    protectedPaths);
        }
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

    /**
     * @param baseUrl openai and anthropic makers: the provider's API root; default from the environment
     * @param apiKeyEnv openai and anthropic makers: the environment variable holding the key (never the key)
     * @param maxTurns model-driven makers: most model turns in one run (claude-code: {@code --max-turns}); null for the
     *     agent's default
     * @param allowedTools claude-code maker: the tools pre-approved for the session ({@code --allowedTools}, e.g.
     *     {@code Edit}, {@code Bash(npm test:*)}); null for the agent's default
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Maker(
            String type,
            String model,
            String command,
            List<Edit> edits,
            Integer tokensPerRun,
            String baseUrl,
            String apiKeyEnv,
            Integer maxTurns,
            List<String> allowedTools) {

        /**
         * Every {@code type} the schema admits (its {@code maker.type} enum); agent-service runs each of them, and the
         * CLI's scaffold writes one of them. Tests on both sides hold them to this list.
         */
        public static final List<String> TYPES = List.of("mock", "shell", "claude-code", "openai", "anthropic");

        public Maker {
            allowedTools = allowedTools == null ? null : List.copyOf(allowedTools);
        }

        public Maker(String type, String model, String command, List<Edit> edits, Integer tokensPerRun) {
            this(type, model, command, edits, tokensPerRun, null, null, null);
        }

        public Maker(
                String type,
                String model,
                String command,
                List<Edit> edits,
                Integer tokensPerRun,
                String baseUrl,
                String apiKeyEnv) {
            this(type, model, command, edits, tokensPerRun, baseUrl, apiKeyEnv, null);
        }

        public Maker(
                String type,
                String model,
                String command,
                List<Edit> edits,
                Integer tokensPerRun,
                String baseUrl,
                String apiKeyEnv,
                Integer maxTurns) {
            this(type, model, command, edits, tokensPerRun, baseUrl, apiKeyEnv, maxTurns, null);
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

    /**
     * An event that triggers the loop ({@code on}): a signed webhook from {@code source} about {@code repo}.
     * {@code branches} (push only; exact names or globs, default every branch), {@code labels} (issue-labelled
     * only: the label added must be one of these) and {@code command} (comment only: the trimmed comment must
     * start with it) narrow it down.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventTrigger(
            Source source, EventType event, String repo, List<String> branches, List<String> labels, String command) {

        public EventTrigger {
            Objects.requireNonNull(source, "on[].source");
            Objects.requireNonNull(event, "on[].event");
            Objects.requireNonNull(repo, "on[].repo");
            branches = branches == null ? null : List.copyOf(branches);
            labels = labels == null ? null : List.copyOf(labels);
        }

        public enum Source {
            @JsonProperty("github")
            GITHUB("github"),
            @JsonProperty("gitlab")
            GITLAB("gitlab");

            private final String wireName;

            Source(String wireName) {
                this.wireName = wireName;
            }

            public String wireName() {
                return wireName;
            }
        }

        /**
         * {@code push}: commits pushed to a branch; {@code issue-labelled}: a label added to an issue; {@code
         * comment}: a new comment on a pull request (GitHub) or merge request (GitLab).
         */
        public enum EventType {
            @JsonProperty("push")
            PUSH("push"),
            @JsonProperty("issue-labelled")
            ISSUE_LABELLED("issue-labelled"),
            @JsonProperty("comment")
            COMMENT("comment");

            private final String wireName;

            EventType(String wireName) {
                this.wireName = wireName;
            }

            public String wireName() {
                return wireName;
            }
        }
    }
}
