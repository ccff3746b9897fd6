package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        mixinStandardHelpOptions = true,
        name = "kill",
        description = {
            "Turn on the kill switch of a scope: every tick in it halts, running ones included, and none starts"
                    + " until 'loopline unkill'.",
            "Not the same as 'pause': pause stops one loop's schedule in the scheduler; kill stops all work in the"
                    + " scope at once, in every service."
        })
class KillCommand extends KillSwitchChange implements Callable<Integer> {

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        Scope scope = Scope.of(spec, kind, id);
        JsonNode killed = change(remote, "kill", scope);
        if (killed == null) {
            return ExitCodes.FAILURE;
        }
        System.out.println("killed " + scope.label() + " " + stamp(killed));
        System.out.println("Every tick of " + scope.reach() + " is halted, running ones included, and none starts"
                + " until: loopline unkill " + scope.label() + " --reason …");
        return ExitCodes.OK;
    }
}
