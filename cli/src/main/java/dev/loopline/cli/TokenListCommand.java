package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopline.schemas.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        mixinStandardHelpOptions = true,
        name = "list",
        description = "List issued tokens, revoked and expired ones too. Never shows a secret.")
class TokenListCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print the tokens as JSON.")
    boolean json;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        Api.Answer answer = remote.state().get("/api/v1/admin/tokens");
        if (!answer.ok()) {
            System.err.println("token list: " + answer.problem());
            return ExitCodes.FAILURE;
        }
        if (json) {
            ArrayNode tokens = Json.mapper().createArrayNode();
            for (JsonNode t : answer.body()) {
                // the API never lists a secret; dropping the member as well keeps that true whatever it answers
                tokens.add(((ObjectNode) t.deepCopy()).without("token"));
            }
            System.out.println(tokens);
            return ExitCodes.OK;
        }
        if (answer.body().isEmpty()) {
            System.out.println("No token has been issued.");
            return ExitCodes.OK;
        }
        Table table = new Table("ID", "NAME", "ROLE", "TEAM", "STATUS", "EXPIRES AT", "CREATED BY", "CREATED AT");
        Instant now = Instant.now();
        for (JsonNode t : answer.body()) {
            table.row(
                    Table.text(t.path("id")),
                    Table.text(t.path("name")),
                    Table.text(t.path("role")),
                    Table.text(t.path("team")),
                    status(t, now),
                    Table.time(t.path("expiresAt")),
                    Table.text(t.path("createdBy")),
                    Table.time(t.path("createdAt")));
        }
        table.print(System.out);
        return ExitCodes.OK;
    }

    private static String status(JsonNode t, Instant now) {
        if (t.path("revoked").asBoolean()) {
            return "revoked";
        }
        try {
            return t.hasNonNull("expiresAt")
                            && !Instant.parse(t.get("expiresAt").asText()).isAfter(now)
                    ? "expired"
                    : "active";
        } catch (DateTimeParseException e) {
            return "active";
        }
    }
}
