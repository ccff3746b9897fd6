package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What {@code kill} and {@code unkill} share: the scope arguments, the reason, and the call to state-service. */
abstract class KillSwitchChange {

    @Parameters(index = "0", paramLabel = "<scope>", description = "global, team or loop.")
    Scope.Kind kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<id>", description = "The team or loop id; none for global.")
    String id;

    @Option(names = "--reason", required = true, description = "Why; stored with the switch and shown by 'control'.")
    String reason;

    @Spec
    CommandSpec spec;

    /** Posts the change; the switch as state-service stored it, or null after printing why it failed. */
    JsonNode change(RemoteOptions remote, String action, Scope scope) {
        if (reason.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--reason must not be blank");
        }
        var body = Json.mapper().createObjectNode().put("scope", scope.kind().name());
        if (scope.id() != null) {
            body.put("id", scope.id());
        }
        body.put("reason", reason).put("by", System.getProperty("user.name", "cli"));
        Api.Answer answer = remote.state().post("/api/v1/control/" + action, body);
        if (!answer.ok()) {
            System.err.println(spec.name() + " " + scope.label() + ": " + answer.problem());
            return null;
        }
        return answer.body();
    }

    /** "at 2026-11-21T10:00:00Z by alice: reason" from a stored switch. */
    static String stamp(JsonNode stored) {
        return "at " + Table.time(stored.path("at")) + " by " + Table.text(stored.path("by")) + ": "
                + Table.text(stored.path("reason"));
    }
}
