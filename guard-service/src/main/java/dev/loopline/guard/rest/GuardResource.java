package dev.loopline.guard.rest;

import dev.loopline.core.auth.Permission;
import dev.loopline.core.check.IntegrityChangeScanner;
import dev.loopline.core.check.SandboxPolicy;
import dev.loopline.core.guard.command.CommandGuard;
import dev.loopline.core.guard.command.Decision;
import dev.loopline.core.guard.injection.InjectionScanner;
import dev.loopline.core.guard.injection.ScanResult;
import dev.loopline.core.guard.injection.Signal;
import dev.loopline.core.guard.integrity.IntegrityScanner;
import dev.loopline.core.guard.integrity.Severity;
import dev.loopline.core.io.TestSandbox;
import dev.loopline.guard.config.GuardConfig;
import dev.loopline.guard.service.GuardService;
import dev.loopline.schemas.events.Finding;
import dev.loopline.support.rest.Allowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;

/**
 * The guard's checks as an API, for tools that want a verdict before proposing anything (a maker's hook, the
 * CLI, CI): the command guard, the diff-integrity scanner and the injection scanner, exactly as the guard
 * applies them to proposals. They change nothing, so every role may call them (the read permission).
 */
@Path("/api/v1/guard")
@Allowed(Permission.READ)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GuardResource {

    /** Request body limits; a body over the limit is a 413, a field over it a 400. */
    static final int MAX_COMMAND_BYTES = 64 * 1024;

    static final int MAX_DIFF_BYTES = 10 * 1024 * 1024;
    static final int MAX_TEXT_BYTES = 1024 * 1024;
    /** Room for the JSON around the field: quotes, escapes of a few characters, the field name. */
    private static final int ENVELOPE_BYTES = 1024;

    /**
     * What this guard enforces: the cap on test time, the scanners it runs on every proposal, and the sandbox
     * test commands run in ({@code bubblewrap}, {@code none} when the operator turned it off, {@code
     * unavailable} when tests are refused).
     */
    public record GuardInfo(long maxTestTimeoutSeconds, List<String> scanners, Sandbox sandbox) {}

    /** {@code reason} is set when the sandbox is unavailable; limits are per process. */
    public record Sandbox(
            String name, String description, String reason, long memoryBytes, int processes, long fileSizeBytes) {}

    public record CommandRequest(@NotBlank @Size(max = MAX_COMMAND_BYTES) String command) {}

    /** {@code decision} is {@code allow} or {@code block}; the other fields are set for a block only. */
    public record CommandCheck(String decision, String ruleId, String reason, String offendingCommand) {}

    public record DiffRequest(@NotNull @Size(max = MAX_DIFF_BYTES) String diff) {}

    /** {@code clean}: no finding of severity {@code medium} or higher, the ones that escalate a proposal. */
    public record DiffCheck(boolean clean, List<Finding> findings) {}

    public record TextRequest(@NotNull @Size(max = MAX_TEXT_BYTES) String text) {}

    /** {@code severity}: none, low, medium or high; a proposal's text rated high escalates it. */
    public record TextCheck(String severity, List<TextSignal> signals) {}

    public record TextSignal(String category, String severity, String evidence, String encoding) {}

    @Inject
    GuardConfig config;

    @Inject
    GuardService guard;

    private final IntegrityScanner integrity = new IntegrityScanner();

    @GET
    @Path("/info")
    public GuardInfo info() {
        SandboxPolicy policy = guard.sandbox();
        TestSandbox box = policy.sandbox();
        return new GuardInfo(
                config.maxTestTimeout().toSeconds(),
                guard.scannerNames(),
                new Sandbox(
                        box.name(),
                        box.description(),
                        box instanceof TestSandbox.Unavailable unavailable ? unavailable.reason() : null,
                        policy.memoryBytes(),
                        policy.processes(),
                        policy.fileSizeBytes()));
    }

    @POST
    @Path("/commands")
    @BodyLimit(MAX_COMMAND_BYTES + ENVELOPE_BYTES)
    public CommandCheck checkCommand(@Valid @NotNull CommandRequest request) {
        Decision decision = CommandGuard.defaults().check(request.command());
        if (decision instanceof Decision.Block block) {
            return new CommandCheck("block", block.ruleId(), block.reason(), block.offendingCommand());
        }
        return new CommandCheck("allow", null, null, null);
    }

    @POST
    @Path("/diffs")
    @BodyLimit(MAX_DIFF_BYTES + ENVELOPE_BYTES)
    public DiffCheck checkDiff(@Valid @NotNull DiffRequest request) {
        List<dev.loopline.core.guard.integrity.Finding> found = integrity.scan(request.diff());
        return new DiffCheck(
                IntegrityScanner.isClean(found, Severity.MEDIUM),
                found.stream().map(IntegrityChangeScanner::toFinding).toList());
    }

    @POST
    @Path("/texts")
    @BodyLimit(MAX_TEXT_BYTES + ENVELOPE_BYTES)
    public TextCheck checkText(@Valid @NotNull TextRequest request) {
        ScanResult result = InjectionScanner.defaults().scan(request.text());
        return new TextCheck(
                lower(result.severity().name()),
                result.signals().stream().map(GuardResource::signal).toList());
    }

    private static TextSignal signal(Signal signal) {
        return new TextSignal(
                signal.category().id(),
                lower(signal.severity().name()),
                signal.evidence(),
                lower(signal.encoding().name()).replace('_', '-'));
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
