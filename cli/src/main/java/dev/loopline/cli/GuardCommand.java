package dev.loopline.cli;

import dev.loopline.core.guard.command.CommandGuard;
import dev.loopline.core.guard.command.Decision;
import dev.loopline.core.guard.command.SpecCommandGuard;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.SpecLoadResult;
import dev.loopline.core.spec.SpecRepository;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "guard",
        description = {
            "Decide whether an agent may run a shell command: prints 'allow' (exit 0) or"
                    + " 'BLOCK [rule]: reason — offending: command' (exit 2).",
            "Options go before the command; everything from the first word on is the command."
                    + " Quote it as one argument to keep its own quoting: loopline guard 'git push -f origin main'."
        })
class GuardCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print {\"decision\":\"allow\"} or {\"decision\":\"block\",...}.")
    boolean json;

    @Option(
            names = "--stdin",
            description = "Batch: one command per line on standard input (or a JSON string literal for a"
                    + " multi-line command), one JSON line out per command; exit code of the worst.")
    boolean stdin;

    @Option(
            names = "--spec",
            paramLabel = "<file>",
            description = "Check under this loop spec's own command rules (commands.deny/allow) as well as the"
                    + " built-in ones.")
    Path spec;

    @Option(names = "--loop", paramLabel = "<id>", description = "The loop in --spec, when the file has several.")
    String loop;

    private CommandGuard guard;

    @Parameters(arity = "0..*", paramLabel = "<command>", description = "The command, as one or several words.")
    List<String> words;

    /** One verdict as JSON; {@code line} only in batch mode. */
    record Verdict(Integer line, String decision, String rule, String reason, String offending)
            implements GuardJson.Writable {
        static Verdict of(Integer line, Decision decision) {
            if (decision instanceof Decision.Block b) {
                return new Verdict(line, "block", b.ruleId(), b.reason(), b.offendingCommand());
            }
            return new Verdict(line, "allow", null, null, null);
        }

        @Override
        public void write(GuardJson.Fields json) throws IOException {
            json.number("line", line)
                    .string("decision", decision)
                    .string("rule", rule)
                    .string("reason", reason)
                    .string("offending", offending);
        }
    }

    @Override
    public Integer call() {
        guard = guardFor(spec, loop);
        boolean hasWords = words != null && !words.isEmpty();
        if (stdin) {
            if (hasWords) {
                throw new UsageException("give the command as arguments or use --stdin, not both");
            }
            return Batch.run("command", this::judge);
        }
        if (!hasWords) {
            throw new UsageException("no command given; pass it as one quoted argument"
                    + " (loopline guard 'git push --force'), or use --stdin for one command per line");
        }
        String command = words.size() == 1 ? words.get(0) : String.join(" ", words);
        if (command.isBlank()) {
            throw new UsageException("the command is empty; an empty command is never allowed");
        }
        Decision decision = guard.check(command);
        PrintStream out = Inputs.stdout();
        if (json) {
            out.println(GuardJson.write(Verdict.of(null, decision)));
        } else if (decision instanceof Decision.Block b) {
            out.println("BLOCK [" + b.ruleId() + "]: " + b.reason() + " — offending: " + b.offendingCommand());
        } else {
            out.println("allow");
        }
        out.flush();
        return exitCode(decision);
    }

    /**
     * A line that is a JSON string literal is decoded, but a raw shell line can look like one and mean
     * something else to a shell ({@code "\\$(rm -rf /)"}), so such a line is checked both ways and blocked if
     * either reading is.
     */
    private Batch.Outcome judge(Batch.Item item) {
        Decision decision = guard.check(item.text());
        if (decision.allowed() && item.jsonString()) {
            decision = guard.check(item.raw());
        }
        return new Batch.Outcome(Verdict.of(item.line(), decision), exitCode(decision));
    }

    /** The built-in guard, or the one of a loop in a spec file; a spec that cannot be read is a usage error. */
    private static CommandGuard guardFor(Path specFile, String loopId) {
        if (specFile == null) {
            if (loopId != null) {
                throw new UsageException("--loop needs --spec <file>");
            }
            return CommandGuard.defaults();
        }
        SpecLoadResult result = new SpecRepository().load(specFile);
        if (!result.problems().isEmpty()) {
            throw new UsageException(
                    "cannot use --spec " + specFile + ": " + result.problems().get(0));
        }
        LoadedSpec chosen;
        if (loopId != null) {
            chosen = result.find(loopId).orElseThrow(() -> new UsageException("no loop " + loopId + " in " + specFile));
        } else if (result.specs().size() == 1) {
            chosen = result.specs().get(0);
        } else {
            throw new UsageException(
                    specFile + " has " + result.specs().size() + " loops; choose one with --loop <id>");
        }
        try {
            return SpecCommandGuard.of(chosen.spec());
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    "the command rules of " + chosen.spec().id() + " are not acceptable: " + e.getMessage());
        }
    }

    private static int exitCode(Decision decision) {
        return decision.allowed() ? ExitCodes.OK : ExitCodes.BLOCKED;
    }
}
