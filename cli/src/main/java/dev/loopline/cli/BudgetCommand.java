package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        mixinStandardHelpOptions = true,
        name = "budget",
        description = "Show today's token budget of every scope with a cap or usage: cap, spent, held (reserved by"
                + " running calls), remaining, burn rate and when the remaining budget runs out at that rate.",
        subcommands = SetCapCommand.class)
class BudgetCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print state-service's answer as JSON.")
    boolean json;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        Api.Answer answer = remote.state().get("/api/v1/budget");
        if (!answer.ok()) {
            System.err.println("budget: " + answer.problem());
            return ExitCodes.FAILURE;
        }
        if (json) {
            System.out.println(answer.body());
            return ExitCodes.OK;
        }
        if (answer.body().isEmpty()) {
            System.out.println("No scope has a cap or usage today.");
            return ExitCodes.OK;
        }
        Table table = table();
        for (JsonNode b : answer.body()) {
            table.row(row(b));
        }
        table.print(System.out);
        return ExitCodes.OK;
    }

    /** One scope's budget as a table row; also what {@code set-cap} prints after its change. */
    static String[] row(JsonNode b) {
        return new String[] {
            Scope.label(
                    b.path("scope").path("kind").asText(),
                    b.path("scope").path("id").asText(null)),
            Table.number(b.path("cap")),
            Table.number(b.path("spent")),
            Table.number(b.path("held")),
            Table.number(b.path("remaining")),
            Table.number(b.path("burnRatePerHour")),
            Table.time(b.path("projectedExhaustionAt")),
            Table.usd(b.path("usdCap")),
            Table.usd(b.path("usdSpent")),
            Table.usd(b.path("usdHeld")),
            Table.time(b.path("resetsAt")),
            Table.text(b.path("timeZone"))
        };
    }

    static Table table() {
        return new Table(
                "SCOPE",
                "CAP>",
                "SPENT>",
                "HELD>",
                "REMAINING>",
                "BURN/H>",
                "RUNS OUT AT",
                "USD CAP>",
                "USD SPENT>",
                "USD HELD>",
                "RESETS AT",
                "TIME ZONE");
    }
}
