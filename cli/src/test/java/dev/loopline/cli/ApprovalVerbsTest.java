package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code approvals}, {@code approve} and {@code reject} against a stub gate-service. */
class ApprovalVerbsTest {

    private static final String TOKEN = "llt_alice_approver";
    private static final String NL = System.lineSeparator();

    private final StubApi gate = new StubApi();

    @AfterEach
    void stop() {
        gate.close();
    }

    private CliRun run(String... verb) {
        List<String> args = new ArrayList<>(List.of(verb));
        args.addAll(List.of("--gate-url", gate.url(), "--token", TOKEN));
        return CliRun.run("", args.toArray(String[]::new));
    }

    @Test
    void approvalsListsTheOpenRequestsOfATeamWithTheirVotes() {
        gate.answer(
                200,
                "[{\"id\":\"apr-0123456789abcdef\",\"state\":\"OPEN\",\"team\":\"platform\",\"loopId\":\"docs\","
                        + "\"tickId\":\"t-1\",\"quorum\":2,\"votes\":[{\"by\":\"bob\",\"approve\":true}],"
                        + "\"expiresAt\":\"2026-12-09T09:00:00Z\"}]");

        CliRun run = run("approvals", "--team", "platform");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("apr-0123456789abcdef", "open", "platform", "docs", "1/2", "2026-12-09");
        StubApi.Request sent = gate.only();
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.path()).isEqualTo("/api/v1/approvals");
        assertThat(sent.query()).isEqualTo("team=platform&state=open");
        assertThat(sent.authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void approvalsAsJsonOfEveryStatePrintsTheGatesAnswer() {
        gate.answer(200, "[{\"id\":\"apr-1\",\"state\":\"MERGED\"}]");

        CliRun run = run("approvals", "--state", "all", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("\"id\" : \"apr-1\"", "\"state\" : \"MERGED\"");
        assertThat(gate.only().query()).isNull();
    }

    @Test
    void approvalsRefusesAnUnknownState() {
        CliRun run = run("approvals", "--state", "sideways");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--state must be open, merged, rejected, expired, voided or all");
        assertThat(gate.requests()).isEmpty();
    }

    @Test
    void approvePostsTheCommentFromTheCliChannelAndSaysWhatHappened() {
        gate.answer(
                200,
                "{\"accepted\":true,\"message\":\"approved by alice (1 of 1); merged into main as 3f2a\","
                        + "\"approval\":{\"id\":\"apr-1\",\"state\":\"MERGED\"}}");

        CliRun run = run("approve", "apr-1", "-m", "ship it");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .isEqualTo(
                        "approved by alice (1 of 1); merged into main as 3f2a" + NL + "request apr-1 is merged" + NL);
        StubApi.Request sent = gate.only();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/api/v1/approvals/apr-1/approve");
        assertThat(sent.body()).hasToString("{\"channel\":\"cli\",\"comment\":\"ship it\"}");
    }

    @Test
    void rejectNeedsAMessage() {
        CliRun run = run("reject", "apr-1");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("-m");
        assertThat(gate.requests()).isEmpty();
    }

    @Test
    void rejectPostsWhy() {
        gate.answer(
                200,
                "{\"accepted\":true,\"message\":\"rejected by alice via cli: wrong file\","
                        + "\"approval\":{\"id\":\"apr-1\",\"state\":\"REJECTED\"}}");

        CliRun run = run("reject", "apr-1", "-m", "wrong file");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(gate.only().path()).isEqualTo("/api/v1/approvals/apr-1/reject");
        assertThat(gate.only().body().path("comment").asText()).isEqualTo("wrong file");
        assertThat(run.out()).contains("request apr-1 is rejected");
    }

    @Test
    void aRefusalOfTheGateIsShownWithItsDetail() {
        gate.answer(
                403,
                "{\"type\":\"https://loopline.dev/problems/self-approval\",\"status\":403,"
                        + "\"detail\":\"'alice' triggered tick t-1 and may not approve it\"}");

        CliRun run = run("approve", "apr-1");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(run.err()).contains("'alice' triggered tick t-1 and may not approve it");
    }

    @Test
    void aClosedRequestFails() {
        gate.answer(409, "{\"status\":409,\"detail\":\"request apr-1 is merged: merged into main as 3f2a\"}");

        CliRun run = run("reject", "apr-1", "-m", "too late");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).isEqualTo("reject: request apr-1 is merged: merged into main as 3f2a" + NL);
    }
}
