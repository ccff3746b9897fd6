package dev.loopline.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Approve and reject: one vote on a request of the gate, recorded as coming from the CLI. */
final class ApprovalVote {

    private ApprovalVote() {}

    static int cast(RemoteOptions remote, String verb, String id, boolean approve, String comment) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,79}")) {
            throw new UsageException("'" + id + "' is not an approval id (as listed by 'loopline approvals')");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("channel", "cli");
        if (comment != null) {
            body.put("comment", comment);
        }
        Api.Answer answer =
                remote.gate().post("/api/v1/approvals/" + id + "/" + (approve ? "approve" : "reject"), body);
        if (!answer.ok()) {
            System.err.println(verb + ": " + answer.problem());
            return ExitCodes.FAILURE;
        }
        System.out.println(answer.body().path("message").asText());
        System.out.println("request " + id + " is "
                + answer.body().path("approval").path("state").asText().toLowerCase(java.util.Locale.ROOT));
        return ExitCodes.OK;
    }
}
