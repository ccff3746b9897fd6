package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        mixinStandardHelpOptions = true,
        name = "create",
        description = {
            "Issue an API token. Its secret is printed once, on standard output (a notice on standard error says"
                    + " so): store it right away, it cannot be shown again.",
            "Example: LOOPLINE_TOKEN=$(loopline token create --name ci --role operator --expires-in P30D)"
        })
class TokenCreateCommand implements Callable<Integer> {

    /** Lower case: the words typed on the command line, and the wire names state-service takes. */
    enum Role {
        viewer,
        operator,
        approver,
        admin
    }

    @Option(names = "--name", required = true, description = "Unique name, recorded as who acts with the token.")
    String name;

    @Option(names = "--role", required = true, description = "${COMPLETION-CANDIDATES}.")
    Role role;

    @Option(names = "--team", description = "The team an approver token may approve for (approver only).")
    String team;

    @Option(
            names = "--expires-in",
            paramLabel = "DURATION",
            description = "ISO-8601 duration, e.g. P30D or PT12H (default: state-service's default token lifetime).")
    Duration expiresIn;

    @Option(names = "--json", description = "Print the created token as JSON, secret included.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        if (team != null && role != Role.approver) {
            throw new ParameterException(spec.commandLine(), "--team applies to approver tokens only");
        }
        if (expiresIn != null && (expiresIn.isNegative() || expiresIn.isZero())) {
            throw new ParameterException(spec.commandLine(), "--expires-in must be positive, not " + expiresIn);
        }
        var body = Json.mapper().createObjectNode().put("name", name).put("role", role.name());
        if (team != null) {
            body.put("team", team);
        }
        if (expiresIn != null) {
            body.put("expiresAt", Instant.now().plus(expiresIn).toString());
        }
        Api.Answer answer = remote.state().post("/api/v1/admin/tokens", body);
        if (!answer.ok()) {
            System.err.println("token create " + name + ": " + answer.problem());
            return ExitCodes.FAILURE;
        }
        JsonNode created = answer.body();
        System.err.println("Created token '" + Table.text(created.path("name")) + "' (id "
                + Table.text(created.path("id")) + ", role " + Table.text(created.path("role"))
                + (created.hasNonNull("team") ? ", team " + created.get("team").asText() : "")
                + ", expires " + Table.time(created.path("expiresAt")) + ").");
        System.err.println("Its secret is shown only this once: store it now. It cannot be shown again; if it is"
                + " lost, revoke the token (loopline token revoke <id>) and create another.");
        System.out.println(json ? created.toString() : created.path("token").asText());
        return ExitCodes.OK;
    }
}
