package dev.loopline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "trigger", description = "Trigger a loop now on a running deployment.")
class TriggerCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<loop>", description = "Loop id.")
    String loop;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        String by = System.getProperty("user.name", "cli");
        Api.Answer answer = remote.scheduler()
                .post(
                        "/api/v1/loops/" + loop + "/ticks",
                        dev.loopline.schemas.json.Json.mapper()
                                .createObjectNode()
                                .put("by", by));
        if (!answer.ok()) {
            System.err.println("trigger " + loop + ": " + answer.problem());
            return ExitCodes.FAILURE;
        }
        System.out.println(
                "triggered " + loop + " tick " + answer.body().path("tickId").asText());
        return ExitCodes.OK;
    }
}
