package dev.loopline.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.loopline.core.plan.Readiness;
import dev.loopline.core.plan.SpecAuditor;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.json.SchemaValidator;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.schemas.spec.LoopSpec.Kind;
import dev.loopline.schemas.spec.LoopSpec.Level;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "init",
        description = "Write a schema-valid loopline.yaml scaffold <out>/<id>.yaml, ready for its level."
                + " Never overwrites without --force (exit 1).")
class InitCommand implements Callable<Integer> {

    private static final Pattern ID = Pattern.compile("^[a-z][a-z0-9-]{0,62}$");
    private static final ObjectMapper YAML = Json.configure(new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)));

    @Parameters(
            paramLabel = "<id>",
            description = "Loop id: lowercase letters, digits and '-', starting with a letter.")
    String id;

    @Option(
            names = "--kind",
            required = true,
            converter = KindConverter.class,
            paramLabel = "report|triage|assisted-fix",
            description = "What the loop does.")
    Kind kind;

    @Option(names = "--level", paramLabel = "Lx", description = "Declared level (default: L1).")
    Level level = Level.L1;

    @Option(names = "--out", paramLabel = "<dir>", description = "Directory to write to (default: current).")
    Path out = Path.of(".");

    @Option(
            names = "--repo",
            paramLabel = "<repo>",
            description = "Target repository (default: '.', the repo of the spec).")
    String repo = ".";

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    @Option(
            names = "--maker",
            paramLabel = "claude-code|anthropic|openai|shell|mock",
            description = "assisted-fix only: the maker that proposes the change (default: claude-code, which"
                    + " ./loopline up installs; it needs ANTHROPIC_API_KEY). mock runs anywhere with no key.")
    String maker;

    @Override
    public Integer call() throws IOException {
        if (id == null || !ID.matcher(id).matches()) {
            System.err.println("invalid loop id '" + id + "': use lowercase letters, digits and '-', starting with a"
                    + " letter (at most 63 characters)");
            return ExitCodes.USAGE;
        }
        if (level.compareTo(Level.L2) >= 0 && kind != Kind.ASSISTED_FIX) {
            System.err.println("level " + level + " proposes changes: it needs --kind assisted-fix");
            return ExitCodes.USAGE;
        }
        if (maker != null && kind != Kind.ASSISTED_FIX) {
            System.err.println("--maker applies to --kind assisted-fix only: a " + SpecOutput.kind(kind)
                    + " loop proposes no change");
            return ExitCodes.USAGE;
        }
        String makerType = maker == null ? DEFAULT_MAKER : maker;
        if (kind == Kind.ASSISTED_FIX && !LoopSpec.Maker.TYPES.contains(makerType)) {
            System.err.println("invalid maker '" + maker + "': expected one of " + String.join(", ", MAKER_ORDER));
            return ExitCodes.USAGE;
        }
        Path file = out.resolve(id + ".yaml");
        if (Files.exists(file) && !force) {
            System.err.println(file + " already exists; not overwritten (use --force to overwrite)");
            return ExitCodes.FAILURE;
        }
        LoopSpec spec = scaffold(makerType);
        List<String> violations = SchemaValidator.get()
                .validate(SchemaValidator.LOOP_SPEC, Json.mapper().valueToTree(spec));
        if (!violations.isEmpty()) {
            throw new IllegalStateException("scaffold is not schema-valid: " + violations);
        }
        Files.createDirectories(out);
        String makerNote = kind == Kind.ASSISTED_FIX ? makerNote(makerType) : "";
        Files.writeString(file, header() + makerNote + yaml(spec), StandardCharsets.UTF_8);
        Readiness readiness = new SpecAuditor().audit(spec);
        System.out.println("wrote " + file + " (" + SpecOutput.kind(kind) + ", " + level + ", ready for "
                + readiness.readyFor() + ")");
        return ExitCodes.OK;
    }

    /** The maker an assisted-fix scaffold gets: a real agent, which the local stack installs. */
    static final String DEFAULT_MAKER = "claude-code";

    /** The maker types in the order the help and errors name them. */
    private static final List<String> MAKER_ORDER = List.of("claude-code", "anthropic", "openai", "shell", "mock");

    /** The model the scaffold names for each model-driven maker; change it in the file. */
    static final String CLAUDE_MODEL = "claude-sonnet-4-5";

    static final String OPENAI_MODEL = "gpt-4o-mini";

    /** A runnable maker of {@code type}, each field it needs filled in. */
    static LoopSpec.Maker makerOf(String type) {
        return switch (type) {
            case "claude-code" -> new LoopSpec.Maker(type, CLAUDE_MODEL, null, null, null, null, null, 20, null);
            case "anthropic" -> new LoopSpec.Maker(type, CLAUDE_MODEL, null, null, null, null, null, 20, null);
            case "openai" -> new LoopSpec.Maker(type, OPENAI_MODEL, null, null, null, null, null, 20, null);
            case "shell" -> new LoopSpec.Maker(
                    type, null, "echo 'replace this command with the fix to run' >> LOOPLINE-TODO.md", null, null);
            case "mock" -> new LoopSpec.Maker(
                    type,
                    null,
                    null,
                    List.of(new LoopSpec.Edit("LOOPLINE-TODO.md", null, "tick {{tick}} of {{loop}}\n", null)),
                    100);
            default -> throw new IllegalArgumentException("no scaffold for maker type " + type);
        };
    }

    /** What the scaffolded maker needs to run, as comment lines above the spec. */
    static String makerNote(String type) {
        List<String> lines =
                switch (type) {
                    case "claude-code" -> List.of(
                            "maker: the Claude Code CLI, run headless in a throwaway worktree, every tool call guarded.",
                            "It needs ANTHROPIC_API_KEY (or ANTHROPIC_BASE_URL) in the environment of ./loopline up,",
                            "which installs the pinned CLI. No key at hand? `loopline init --maker mock` runs anywhere.");
                    case "anthropic" -> List.of(
                            "maker: a tool-using agent over the Anthropic Messages API; needs ANTHROPIC_API_KEY",
                            "(maker.apiKeyEnv names another variable; maker.baseUrl another endpoint).");
                    case "openai" -> List.of(
                            "maker: a tool-using agent over any OpenAI-compatible chat-completions API; needs",
                            "OPENAI_API_KEY (maker.apiKeyEnv names another variable; maker.baseUrl points it at NIM,",
                            "Groq, vLLM, a LiteLLM proxy...).");
                    case "shell" -> List.of(
                            "maker: runs maker.command in the worktree (checked by the command guard first);",
                            "replace the placeholder command with the fix to run.");
                    case "mock" -> List.of(
                            "maker: the mock maker writes the scripted edits below, with no model and no key, to try",
                            "the pipeline (proposal, checker, gate) end to end. Switch to claude-code for real work.");
                    default -> List.of();
                };
        StringBuilder note = new StringBuilder();
        lines.forEach(line -> note.append("# ").append(line).append('\n'));
        return note.toString();
    }

    private LoopSpec scaffold(String makerType) {
        boolean fix = kind == Kind.ASSISTED_FIX;
        LoopSpec.Target target = new LoopSpec.Target(repo, "main", kind == Kind.TRIAGE ? List.of("main") : null);
        return LoopSpec.builder(id, kind, level, target)
                .name(id)
                .cadence(fix ? "1h" : "1d")
                .task(fix ? "Describe the change the loop should make, and how to tell it is done." : null)
                .test(fix ? new LoopSpec.Test("./test.sh", 600) : null)
                .maker(fix ? makerOf(makerType) : null)
                .allowlist(level == Level.L3 ? new LoopSpec.Allowlist(List.of("docs/**"), List.of(), 5, 200) : null)
                .budget(new LoopSpec.Budget(fix ? 200_000L : 50_000L, fix ? 1_000_000L : 200_000L, fix ? 3 : null))
                .build();
    }

    private static String header() {
        return "# Loopline loop spec. Formats and fields: docs/spec-formats.md\n"
                + "# Check it with: loopline validate <file>; loopline audit <file>; loopline plan <file> <id>\n";
    }

    private static String yaml(LoopSpec spec) {
        try {
            return YAML.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts the kinds as written in specs: report, triage, assisted-fix. */
    static final class KindConverter implements CommandLine.ITypeConverter<Kind> {
        @Override
        public Kind convert(String value) {
            for (Kind k : Kind.values()) {
                if (k.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(value)) {
                    return k;
                }
            }
            throw new CommandLine.TypeConversionException(
                    "invalid kind '" + value + "': expected report, triage or assisted-fix");
        }
    }
}
