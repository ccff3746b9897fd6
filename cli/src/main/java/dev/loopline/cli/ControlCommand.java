package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        mixinStandardHelpOptions = true,
        name = "control",
        description = "Show what stops loops now: the kill switches that are on, and the budget alerts in force"
                + " (halt, report-only, alert) until their scope's day resets.")
class ControlCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print state-service's snapshot as JSON.")
    boolean json;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        Api.Answer answer = remote.state().get("/api/v1/control/snapshot");
        if (!answer.ok()) {
            System.err.println("control: " + answer.problem());
            return ExitCodes.FAILURE;
        }
        JsonNode snapshot = answer.body();
        if (json) {
            System.out.println(snapshot);
            return ExitCodes.OK;
        }
        Table kills = new Table("SCOPE", "SINCE", "BY", "REASON");
        for (JsonNode k : snapshot.path("kills")) {
            kills.row(
                    Scope.label(k.path("scope").asText(), k.path("id").asText(null)),
                    Table.time(k.path("at")),
                    Table.text(k.path("by")),
                    Table.text(k.path("reason")));
        }
        Table alerts = new Table("SCOPE", "ACTION", "USED>", "CAP>", "PERCENT>", "UNTIL");
        for (JsonNode a : snapshot.path("budgetAlerts")) {
            alerts.row(
                    Scope.label(a.path("kind").asText(), a.path("id").asText(null)),
                    Table.text(a.path("action")),
                    amount(a, "used"),
                    amount(a, "cap"),
                    a.path("percent").asInt() + "%",
                    Table.time(a.path("resetsAt")));
        }
        System.out.println("As of " + Table.time(snapshot.path("asOf")) + ":");
        if (kills.isEmpty()) {
            System.out.println("No kill switch is on.");
        } else {
            System.out.println("Kill switches on (every tick in the scope halts, running ones included):");
            kills.print(System.out);
        }
        if (alerts.isEmpty()) {
            System.out.println("No budget alert is in force.");
        } else {
            System.out.println("Budget alerts in force (halt: nothing runs; report-only: runs as L1, no writes):");
            alerts.print(System.out);
        }
        return ExitCodes.OK;
    }

    /** A figure of an alert: tokens, or dollars when the alert is a money cap's (counted in cents). */
    private static String amount(JsonNode alert, String field) {
        if ("usd-cents".equals(alert.path("unit").asText())) {
            long cents = alert.path(field).asLong();
            return String.format(Locale.ROOT, "$%d.%02d", cents / 100, cents % 100);
        }
        return Table.number(alert.path(field));
    }
}
