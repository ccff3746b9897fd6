package dev.loopline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "reject",
        mixinStandardHelpOptions = true,
        description = "Reject a change waiting in the gate: the request closes and nothing is merged.")
class RejectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<id>", description = "The request, as listed by 'loopline approvals'.")
    String id;

    @Option(
            names = {"-m", "--message"},
            required = true,
            description = "Why (required; recorded with the rejection).")
    String message;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        if (message.isBlank()) {
            throw new UsageException("-m needs text saying why the change is rejected");
        }
        return ApprovalVote.cast(remote, "reject", id, false, message);
    }
}
