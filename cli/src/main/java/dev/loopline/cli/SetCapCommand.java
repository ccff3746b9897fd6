package dev.loopline.cli;

import dev.loopline.schemas.json.Json;
import java.math.BigDecimal;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        mixinStandardHelpOptions = true,
        name = "set-cap",
        description = "Set the daily token cap and/or money cap of a scope (needs an admin token). 0 stops the scope"
                + " from spending anything; a cap left out keeps its current value; the change applies to today's"
                + " budget at once.")
class SetCapCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<scope>", description = "global, team or loop.")
    Scope.Kind kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<id>", description = "The team or loop id; none for global.")
    String id;

    @Option(names = "--daily-tokens", paramLabel = "N", description = "Tokens per day, 0 or more.")
    Long dailyTokens;

    @Option(
            names = "--daily-usd",
            paramLabel = "USD",
            description = "US dollars per day, 0 or more, e.g. 25.50 (priced at the state-service's model prices).")
    BigDecimal dailyUsd;

    @Option(
            names = "--time-zone",
            paramLabel = "ZONE",
            description = "When the scope's day starts, e.g. Europe/Berlin (default: as configured, UTC).")
    String timeZone;

    @Spec
    CommandSpec spec;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        Scope scope = Scope.of(spec, kind, id);
        if (dailyTokens == null && dailyUsd == null) {
            throw new ParameterException(spec.commandLine(), "give --daily-tokens, --daily-usd or both");
        }
        if (dailyTokens != null && dailyTokens < 0) {
            throw new ParameterException(spec.commandLine(), "--daily-tokens must be 0 or more, not " + dailyTokens);
        }
        if (dailyUsd != null && dailyUsd.signum() < 0) {
            throw new ParameterException(
                    spec.commandLine(), "--daily-usd must be 0 or more, not " + dailyUsd.toPlainString());
        }
        var body = Json.mapper().createObjectNode();
        var ref = body.putObject("scope").put("kind", scope.kind().name());
        if (scope.id() != null) {
            ref.put("id", scope.id());
        }
        if (dailyTokens != null) {
            body.put("dailyTokens", dailyTokens);
        }
        if (dailyUsd != null) {
            body.put("dailyUsd", dailyUsd);
        }
        if (timeZone != null) {
            body.put("timeZone", timeZone);
        }
        Api.Answer answer = remote.state().put("/api/v1/budget/caps", body);
        if (!answer.ok()) {
            System.err.println("budget set-cap " + scope.label() + ": " + answer.problem());
            return ExitCodes.FAILURE;
        }
        System.out.println("daily cap of " + scope.label() + " set to "
                + (dailyTokens == null ? "" : dailyTokens + " tokens")
                + (dailyTokens != null && dailyUsd != null ? " and " : "")
                + (dailyUsd == null ? "" : "$" + dailyUsd.toPlainString()));
        Table table = BudgetCommand.table();
        table.row(BudgetCommand.row(answer.body()));
        table.print(System.out);
        return ExitCodes.OK;
    }
}
