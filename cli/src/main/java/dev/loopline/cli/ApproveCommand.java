package dev.loopline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "approve",
        mixinStandardHelpOptions = true,
        description = {
            "Approve a change waiting in the gate. Once its quorum of distinct approvers is reached it is"
                    + " fast-forwarded onto its base (re-verified first if the base moved).",
            "Needs a personal token with the approver role for the loop's team; whoever triggered the tick may not"
                    + " approve it."
        })
class ApproveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<id>", description = "The request, as listed by 'loopline approvals'.")
    String id;

    @Option(
            names = {"-m", "--message"},
            description = "A comment recorded with the approval.")
    String message;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        return ApprovalVote.cast(remote, "approve", id, true, message);
    }
}
