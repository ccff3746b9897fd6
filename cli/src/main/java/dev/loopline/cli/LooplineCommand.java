package dev.loopline.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of the {@code loopline} command. {@code up}/{@code down} are handled by the root script. */
@Command(
        name = "loopline",
        mixinStandardHelpOptions = true,
        version = "loopline 0.1.0",
        description = "Run and inspect Loopline loops.",
        subcommands = {
            ValidateCommand.class,
            RunCommand.class,
            ListCommand.class,
            PlanCommand.class,
            AuditCommand.class,
            CostCommand.class,
            InitCommand.class,
            TriggerCommand.class,
            PauseCommand.class,
            ResumeCommand.class,
            TicksCommand.class,
            ShowCommand.class,
            KillCommand.class,
            UnkillCommand.class,
            ControlCommand.class,
            BudgetCommand.class,
            TokenCommand.class,
            ApprovalsCommand.class,
            ApproveCommand.class,
            RejectCommand.class,
            GuardCommand.class,
            ScanDiffCommand.class,
            ScanInjectionCommand.class,
            VerifyCommand.class,
            VerifyIsoCommand.class,
            CheckAllowlistCommand.class,
            CommandLine.HelpCommand.class,
            AutoComplete.GenerateCompletion.class
        })
public class LooplineCommand implements Runnable {

    /** SLF4J's simple provider reads its level from here once, when the first logger is made. */
    static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Libraries' logging (and failures' stack traces) on standard error; silent otherwise. */
    static boolean verbose;

    @Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Print diagnostics on standard error: libraries' log messages and the stack trace of a"
                    + " failure.")
    void verbose(boolean on) {
        verbose = on;
        System.setProperty(LOG_LEVEL, on ? "debug" : "off");
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new LooplineCommand());
        CommandLine.IParameterExceptionHandler usageError = (e, args) -> {
            e.getCommandLine().getErr().println(redactToken(e.getMessage(), args));
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return ExitCodes.USAGE;
        };
        CommandLine.IExecutionExceptionHandler failure = (e, cmd, parsed) -> {
            if (e instanceof UsageException) {
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                return ExitCodes.USAGE;
            }
            if (e instanceof RemoteFailure remote) {
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + remote.getMessage());
                return remote.exitCode();
            }
            cmd.getErr().println("loopline: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (verbose) {
                e.printStackTrace(cmd.getErr());
            }
            return ExitCodes.FAILURE;
        };
        // 'loopline guard rm -rf /': everything from the command's first word on is the command, not options
        commandLine.getSubcommands().get("guard").setStopAtPositional(true);
        return commandLine
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(usageError)
                .setExecutionExceptionHandler(failure);
    }

    /**
     * A usage error quotes the arguments it could not match ("Unknown options: '--token', 'abc…'"): the value of
     * {@code --token} is replaced wherever it is quoted, so a mistyped command line never prints the token.
     */
    static String redactToken(String message, String[] args) {
        String redacted = message;
        for (int i = 0; i < args.length; i++) {
            String secret = null;
            if ("--token".equals(args[i]) && i + 1 < args.length) {
                secret = args[i + 1];
            } else if (args[i].startsWith("--token=")) {
                secret = args[i].substring("--token=".length());
            }
            if (secret != null && !secret.isEmpty()) {
                redacted = redacted.replace("'" + secret + "'", "'<token>'")
                        .replace("--token=" + secret, "--token=<token>");
            }
        }
        return redacted;
    }

    public static void main(String[] args) {
        // before any library makes a logger: nothing of theirs on stdout/stderr unless --verbose
        System.setProperty(LOG_LEVEL, "off");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        // the openai and anthropic makers' run logs through jboss-logging: send it to SLF4J, silenced like the rest
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.exit(commandLine().execute(args));
    }
}
