package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        mixinStandardHelpOptions = true,
        name = "control",
        description = "Show what stops loops now: the kill switches that are on, and the budget alerts in force"
                + " (halt, report-only, alert) until their scope's day resets. With --log: the control log, newest"
                + " first: who killed or resumed which scope and why, and the budget thresholds scopes reached.")
class ControlCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print state-service's answer as JSON.")
    boolean json;

    @Option(names = "--log", description = "Show the control log instead of what is in force now.")
    boolean log;

    @Option(
            names = "--limit",
            defaultValue = "20",
            description = "With --log: how many entries, 1 to 200 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    RemoteOptions remote;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (log) {
            return printLog();
        }
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

    private int printLog() {
        if (limit < 1 || limit > 200) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--limit must be between 1 and 200, not " + limit);
        }
        Api.Answer answer = remote.state().get("/api/v1/control/events?limit=" + limit);
        if (!answer.ok()) {
            System.err.println("control: " + answer.problem());
            return ExitCodes.FAILURE;
        }
        if (json) {
            System.out.println(answer.body());
            return ExitCodes.OK;
        }
        Table entries = new Table("TIME", "WHAT", "SCOPE", "BY", "WHY");
        for (JsonNode e : answer.body()) {
            entries.row(
                    Table.time(e.path("time")),
                    Table.text(e.path("type")),
                    Scope.label(
                            e.path("scope").path("kind").asText(),
                            e.path("scope").path("id").asText(null)),
                    Table.text(e.path("by")),
                    Table.text(e.path("reason")));
        }
        if (entries.isEmpty()) {
            System.out.println(
                    "The control log is empty: no scope was ever killed, no budget threshold reached and no approval decided.");
        } else {
            entries.print(System.out);
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
