package dev.loopline.cli;

import dev.loopline.schemas.json.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "resume",
        description = "Resume a paused or halted loop on a running deployment; it runs again on its schedule.")
class ResumeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<loop>", description = "Loop id.")
    String loop;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        var body = Json.mapper().createObjectNode().put("by", System.getProperty("user.name", "cli"));
        Api.Answer answer = remote.scheduler().post("/api/v1/loops/" + loop + "/resume", body);
        if (!answer.ok()) {
            System.err.println("resume " + loop + ": " + answer.problem());
            return ExitCodes.FAILURE;
        }
        String next =
                answer.body() == null ? "" : answer.body().path("nextRunAt").asText("");
        System.out.println("resumed " + loop + (next.isEmpty() ? "" : "; next run at " + next));
        return ExitCodes.OK;
    }
}
