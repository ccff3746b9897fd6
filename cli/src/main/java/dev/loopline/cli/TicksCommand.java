package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ticks", description = "Show recent ticks of a running deployment.")
class TicksCommand implements Callable<Integer> {

    @Option(names = "--loop", description = "Only this loop.")
    String loop;

    @Option(names = "--limit", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        String query =
                "?limit=" + limit + (loop == null ? "" : "&loop=" + URLEncoder.encode(loop, StandardCharsets.UTF_8));
        Api.Answer answer = remote.state().get("/api/v1/ticks" + query);
        if (!answer.ok()) {
            System.err.println("ticks: " + answer.problem());
            return ExitCodes.FAILURE;
        }
        System.out.printf("%-34s %-24s %-18s %8s%n", "TICK", "LOOP", "OUTCOME", "TOKENS");
        for (JsonNode t : answer.body().path("items")) {
            System.out.printf(
                    "%-34s %-24s %-18s %8d%n",
                    t.path("tickId").asText(),
                    t.path("loopId").asText(),
                    t.hasNonNull("outcome")
                            ? t.get("outcome").asText()
                            : t.path("status").asText(),
                    t.path("tokens").asLong());
        }
        return ExitCodes.OK;
    }
}
