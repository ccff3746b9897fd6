package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "approvals",
        mixinStandardHelpOptions = true,
        description = "List approval requests of a running deployment (newest first); open ones by default.")
class ApprovalsCommand implements Callable<Integer> {

    @Option(names = "--team", description = "Only this team's requests.")
    String team;

    @Option(names = "--loop", description = "Only this loop's requests.")
    String loop;

    @Option(
            names = "--state",
            defaultValue = "open",
            description = "open (default), merged, rejected, expired, voided, or all.")
    String state;

    @Option(names = "--json", description = "Print the requests as JSON.")
    boolean json;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        List<String> query = new ArrayList<>();
        if (team != null) {
            query.add("team=" + URLEncoder.encode(team, StandardCharsets.UTF_8));
        }
        if (loop != null) {
            query.add("loop=" + URLEncoder.encode(loop, StandardCharsets.UTF_8));
        }
        String wanted = state.strip().toLowerCase(Locale.ROOT);
        if (!wanted.equals("all")) {
            if (!List.of("open", "merged", "rejected", "expired", "voided").contains(wanted)) {
                throw new UsageException(
                        "--state must be open, merged, rejected, expired, voided or all, not '" + state + "'");
            }
            query.add("state=" + wanted);
        }
        Api.Answer answer =
                remote.gate().get("/api/v1/approvals" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        if (!answer.ok()) {
            System.err.println("approvals: " + answer.problem());
            return ExitCodes.FAILURE;
        }
        if (json) {
            System.out.println(answer.body().toPrettyString());
            return ExitCodes.OK;
        }
        System.out.printf(
                "%-20s %-8s %-14s %-22s %-30s %-7s %s%n", "ID", "STATE", "TEAM", "LOOP", "TICK", "VOTES", "EXPIRES");
        for (JsonNode a : answer.body()) {
            long approvals = 0;
            for (JsonNode vote : a.path("votes")) {
                approvals += vote.path("approve").asBoolean() ? 1 : 0;
            }
            System.out.printf(
                    "%-20s %-8s %-14s %-22s %-30s %-7s %s%n",
                    a.path("id").asText(),
                    a.path("state").asText().toLowerCase(Locale.ROOT),
                    a.path("team").asText(),
                    a.path("loopId").asText(),
                    a.path("tickId").asText(),
                    approvals + "/" + a.path("quorum").asInt(),
                    a.path("expiresAt").asText());
        }
        return ExitCodes.OK;
    }
}
