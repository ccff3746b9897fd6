package dev.loopline.cli;

import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        mixinStandardHelpOptions = true,
        name = "revoke",
        description = "Revoke a token: every call with it is refused from now on. Revoking twice is harmless.")
class TokenRevokeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<id>", description = "The token's id, as 'loopline token list' shows it.")
    UUID id;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        Api.Answer answer = remote.state().delete("/api/v1/admin/tokens/" + id);
        if (!answer.ok()) {
            System.err.println("token revoke " + id + ": " + answer.problem());
            return ExitCodes.FAILURE;
        }
        System.out.println("revoked token '" + Table.text(answer.body().path("name")) + "' (" + id + ") at "
                + Table.time(answer.body().path("revokedAt")));
        return ExitCodes.OK;
    }
}
