package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        mixinStandardHelpOptions = true,
        name = "unkill",
        description = {
            "Turn off the kill switch of a scope: its loops may run again on their schedules.",
            "Lifts only this scope's switch: a loop stays stopped while a wider scope is killed, and a loop paused"
                    + " or halted in the scheduler stays so until 'loopline resume <loop>'."
        })
class UnkillCommand extends KillSwitchChange implements Callable<Integer> {

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        Scope scope = Scope.of(spec, kind, id);
        JsonNode lifted = change(remote, "resume", scope);
        if (lifted == null) {
            return ExitCodes.FAILURE;
        }
        System.out.println("lifted the kill switch of " + scope.label() + " " + stamp(lifted));
        return ExitCodes.OK;
    }
}
