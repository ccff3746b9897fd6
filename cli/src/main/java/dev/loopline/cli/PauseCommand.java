package dev.loopline.cli;

import dev.loopline.schemas.json.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "pause",
        description = "Pause a loop on a running deployment: no cadence runs and no manual triggers until resumed.")
class PauseCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<loop>", description = "Loop id.")
    String loop;

    @Option(names = "--reason", description = "Why, shown with the loop's state.")
    String reason;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        var body = Json.mapper().createObjectNode().put("by", System.getProperty("user.name", "cli"));
        if (reason != null) {
            body.put("reason", reason);
        }
        Api.Answer answer = remote.scheduler().post("/api/v1/loops/" + loop + "/pause", body);
        if (!answer.ok()) {
            System.err.println("pause " + loop + ": " + answer.problem());
            return ExitCodes.FAILURE;
        }
        System.out.println("paused " + loop + (reason == null ? "" : ": " + reason));
        return ExitCodes.OK;
    }
}
