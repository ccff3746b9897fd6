package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code token create|list|revoke} against a stub state-service: the secret is shown once, and only once. */
class TokenVerbsTest {

    private static final String ADMIN_TOKEN = "admin-token-5d0e";
    private static final String SECRET = "llt_9Qx2mZ7vK1pR4sT8wY3bN6cF0hJ5gL";
    private static final String ID = "0b5c8f0e-6d3a-4e7b-9a51-2f4c7d8e1a90";
    private static final String NL = System.lineSeparator();

    private final StubApi state = new StubApi();

    @AfterEach
    void stop() {
        state.close();
    }

    private CliRun run(String... verb) {
        return state.runAsState(ADMIN_TOKEN, verb);
    }

    private static String created(String role, String team) {
        return "{\"id\":\"" + ID + "\",\"name\":\"ci\",\"role\":\"" + role + "\",\"team\":"
                + (team == null ? "null" : "\"" + team + "\"")
                + ",\"expiresAt\":\"2026-12-21T10:00:00.123Z\",\"createdBy\":\"bootstrap\","
                + "\"createdAt\":\"2026-11-21T10:00:00Z\",\"token\":\"" + SECRET + "\"}";
    }

    @Test
    void createPrintsOnlyTheSecretOnStdoutAndWarnsOnStderrThatItIsShownOnce() {
        state.answer(201, created("operator", null));

        Instant before = Instant.now();
        CliRun run = run("token", "create", "--name", "ci", "--role", "operator", "--expires-in", "P30D");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo(SECRET + NL);
        assertThat(run.err())
                .isEqualTo("Created token 'ci' (id " + ID + ", role operator, expires 2026-12-21T10:00:00Z)." + NL
                        + "Its secret is shown only this once: store it now. It cannot be shown again; if it is"
                        + " lost, revoke the token (loopline token revoke <id>) and create another." + NL);
        StubApi.Request sent = state.only();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/api/v1/admin/tokens");
        assertThat(sent.authorization()).isEqualTo("Bearer " + ADMIN_TOKEN);
        assertThat(sent.contentType()).isEqualTo("application/json");
        assertThat(sent.body().path("name").asText()).isEqualTo("ci");
        assertThat(sent.body().path("role").asText()).isEqualTo("operator");
        assertThat(sent.body().has("team")).isFalse();
        assertThat(Instant.parse(sent.body().path("expiresAt").asText()))
                .isCloseTo(before.plus(Duration.ofDays(30)), within(1, ChronoUnit.MINUTES));
    }

    @Test
    void createWithoutAnExpiryLeavesTheDefaultLifetimeToStateService() {
        state.answer(201, created("approver", "platform"));

        CliRun run = run("token", "create", "--name", "ci", "--role", "approver", "--team", "platform");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).startsWith("Created token 'ci' (id " + ID + ", role approver, team platform, expires ");
        assertThat(state.only().body()).hasToString("{\"name\":\"ci\",\"role\":\"approver\",\"team\":\"platform\"}");
    }

    @Test
    void createJsonPrintsTheWholeAnswerSecretIncludedOnStdout() {
        state.answer(201, created("viewer", null));

        CliRun run = run("token", "create", "--name", "ci", "--role", "viewer", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.json().path("token").asText()).isEqualTo(SECRET);
        assertThat(run.json().path("id").asText()).isEqualTo(ID);
        assertThat(run.err()).contains("shown only this once").doesNotContain(SECRET);
    }

    @Test
    void aTakenNameIsRefusedWithStateServicesDetail() {
        state.answer(
                409,
                "{\"type\":\"https://loopline.dev/problems/token-name-taken\",\"title\":\"Conflict\",\"status\":409,"
                        + "\"detail\":\"a token named 'ci' exists\"}");

        CliRun run = run("token", "create", "--name", "ci", "--role", "viewer");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).isEqualTo("token create ci: a token named 'ci' exists" + NL);
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "token create --name ci --role root                           | Invalid value for option '--role'",
                "token create --name ci --role operator --team platform       | --team applies to approver tokens only",
                "token create --name ci --role viewer --expires-in 30d        | Invalid value for option '--expires-in'",
                "token create --name ci --role viewer --expires-in -P1D       | --expires-in must be positive",
                "token create --role viewer                                   | Missing required option: '--name",
                "token revoke not-a-uuid                                      | Invalid value for positional parameter"
            })
    void badArgumentsAreAUsageErrorAndSendNothing(String line, String message) {
        CliRun run = run(KillSwitchVerbsTest.split(line));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains(message).contains("Usage:");
        assertThat(run.out()).isEmpty();
        assertThat(state.requests()).isEmpty();
    }

    @Test
    void tokenWithoutASubcommandIsAUsageError() {
        CliRun run = CliRun.run("", "token");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err())
                .contains("Missing required subcommand")
                .contains("Usage: loopline token [-hV] [--verbose] [COMMAND]");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void listShowsEveryTokenWithItsStatusAndNoSecret() {
        state.answer(
                200,
                "[{\"id\":\"" + ID + "\",\"name\":\"ci\",\"role\":\"operator\",\"team\":null,"
                        + "\"expiresAt\":\"2099-01-01T00:00:00Z\",\"revoked\":false,\"revokedAt\":null,"
                        + "\"createdBy\":\"bootstrap\",\"createdAt\":\"2026-11-21T10:00:00.5Z\"},"
                        + "{\"id\":\"5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b\",\"name\":\"alice@ops\",\"role\":\"approver\","
                        + "\"team\":\"platform\",\"expiresAt\":\"2099-01-01T00:00:00Z\",\"revoked\":true,"
                        + "\"revokedAt\":\"2026-11-21T11:00:00Z\",\"createdBy\":\"ci\","
                        + "\"createdAt\":\"2026-11-20T09:00:00Z\"},"
                        + "{\"id\":\"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d\",\"name\":\"old\",\"role\":\"viewer\","
                        + "\"team\":null,\"expiresAt\":\"2026-01-01T00:00:00Z\",\"revoked\":false,"
                        + "\"revokedAt\":null,\"createdBy\":\"bootstrap\",\"createdAt\":\"2025-12-01T00:00:00Z\"}]");

        CliRun run = run("token", "list");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .isEqualTo(String.join(
                        NL,
                        "ID                                    NAME       ROLE      TEAM      STATUS   EXPIRES AT"
                                + "            CREATED BY  CREATED AT",
                        ID + "  ci         operator  -         active   2099-01-01T00:00:00Z  bootstrap"
                                + "   2026-11-21T10:00:00Z",
                        "5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b  alice@ops  approver  platform  revoked  "
                                + "2099-01-01T00:00:00Z  ci          2026-11-20T09:00:00Z",
                        "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d  old        viewer    -         expired  "
                                + "2026-01-01T00:00:00Z  bootstrap   2025-12-01T00:00:00Z",
                        ""));
        StubApi.Request sent = state.only();
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.path()).isEqualTo("/api/v1/admin/tokens");
        assertThat(sent.authorization()).isEqualTo("Bearer " + ADMIN_TOKEN);
    }

    @Test
    void listJsonNeverCarriesASecretEvenIfTheServiceSentOne() {
        state.answer(
                200,
                "[{\"id\":\"" + ID + "\",\"name\":\"ci\",\"role\":\"operator\",\"revoked\":false,\"token\":\"" + SECRET
                        + "\"}]");

        CliRun run = run("token", "list", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.json()).hasSize(1);
        assertThat(run.json().get(0).path("name").asText()).isEqualTo("ci");
        assertThat(run.all()).doesNotContain(SECRET);
    }

    @Test
    void revokeDeletesTheTokenById() {
        state.answer(
                200,
                "{\"id\":\"" + ID + "\",\"name\":\"ci\",\"role\":\"operator\",\"revoked\":true,"
                        + "\"revokedAt\":\"2026-11-21T12:00:00.999Z\"}");

        CliRun run = run("token", "revoke", ID);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo("revoked token 'ci' (" + ID + ") at 2026-11-21T12:00:00Z" + NL);
        StubApi.Request sent = state.only();
        assertThat(sent.method()).isEqualTo("DELETE");
        assertThat(sent.path()).isEqualTo("/api/v1/admin/tokens/" + ID);
        assertThat(sent.authorization()).isEqualTo("Bearer " + ADMIN_TOKEN);
        assertThat(sent.body()).isNull();
    }

    @Test
    void revokingAnUnknownTokenFails() {
        state.answer(
                404,
                "{\"type\":\"https://loopline.dev/problems/not-found\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"No token " + ID + "\"}");

        CliRun run = run("token", "revoke", ID);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).isEqualTo("token revoke " + ID + ": No token " + ID + NL);
    }
}
