package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code budget} and {@code budget set-cap} against a stub state-service. */
class BudgetVerbsTest {

    private static final String TOKEN = "admin-token-91c2";
    private static final String NL = System.lineSeparator();
    private static final String OVERVIEW = "["
            + "{\"scope\":{\"kind\":\"global\",\"id\":\"global\"},\"day\":\"2026-11-21\",\"timeZone\":\"UTC\","
            + "\"cap\":1000000,\"spent\":250000,\"held\":12000,\"remaining\":738000,"
            + "\"resetsAt\":\"2026-11-22T00:00:00Z\",\"burnRatePerHour\":40000,"
            + "\"projectedExhaustionAt\":null,\"costUsd\":3.75,\"usdCap\":null,\"usdSpent\":3.75,"
            + "\"usdHeld\":0.18},"
            + "{\"scope\":{\"kind\":\"team\",\"id\":\"platform\"},\"day\":\"2026-11-21\","
            + "\"timeZone\":\"Europe/Berlin\",\"cap\":100000,\"spent\":90000,\"held\":2000,\"remaining\":8000,"
            + "\"resetsAt\":\"2026-11-21T23:00:00Z\",\"burnRatePerHour\":16000,"
            + "\"projectedExhaustionAt\":\"2026-11-21T12:30:00.250Z\",\"costUsd\":1.35,\"usdCap\":20,"
            + "\"usdSpent\":1.35,\"usdHeld\":0.030000001},"
            + "{\"scope\":{\"kind\":\"loop\",\"id\":\"docs\"},\"day\":\"2026-11-21\",\"timeZone\":\"UTC\","
            + "\"cap\":null,\"spent\":500,\"held\":0,\"remaining\":null,"
            + "\"resetsAt\":\"2026-11-22T00:00:00Z\",\"burnRatePerHour\":0,"
            + "\"projectedExhaustionAt\":null,\"costUsd\":0.01,\"usdCap\":null,\"usdSpent\":0.01,"
            + "\"usdHeld\":0}]";

    private final StubApi state = new StubApi();

    @AfterEach
    void stop() {
        state.close();
    }

    private CliRun run(String... verb) {
        return state.runAsState(TOKEN, verb);
    }

    @Test
    void budgetPrintsEveryScopeAsAnAlignedTable() {
        state.answer(200, OVERVIEW);

        CliRun run = run("budget");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .isEqualTo(String.join(
                        NL,
                        "SCOPE              CAP   SPENT   HELD  REMAINING  BURN/H  RUNS OUT AT           USD CAP"
                                + "  USD SPENT  USD HELD  RESETS AT             TIME ZONE",
                        "global         1000000  250000  12000     738000   40000  -                           -"
                                + "      $3.75     $0.18  2026-11-22T00:00:00Z  UTC",
                        // a fraction of a cent held is shown as a whole cent: spend is never understated
                        "team:platform   100000   90000   2000       8000   16000  2026-11-21T12:30:00Z   $20.00"
                                + "      $1.35     $0.04  2026-11-21T23:00:00Z  Europe/Berlin",
                        "loop:docs            -     500      0          -       0  -                           -"
                                + "      $0.01     $0.00  2026-11-22T00:00:00Z  UTC",
                        ""));
        StubApi.Request sent = state.only();
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.path()).isEqualTo("/api/v1/budget");
        assertThat(sent.authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void budgetJsonPrintsStateServicesAnswer() {
        state.answer(200, OVERVIEW);

        CliRun run = run("budget", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.json()).hasSize(3);
        assertThat(run.json().get(1).path("projectedExhaustionAt").asText()).isEqualTo("2026-11-21T12:30:00.250Z");
        assertThat(run.json().get(2).path("cap").isNull()).isTrue();
    }

    @Test
    void budgetWithNoScopeSaysSo() {
        state.answer(200, "[]");

        CliRun run = run("budget");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo("No scope has a cap or usage today." + NL);
    }

    @Test
    void setCapPutsTheTeamsCapAndTimeZoneAndPrintsItsBudget() {
        state.answer(
                200,
                "{\"scope\":{\"kind\":\"team\",\"id\":\"platform\"},\"day\":\"2026-11-21\","
                        + "\"timeZone\":\"Europe/Berlin\",\"cap\":200000,\"spent\":90000,\"held\":0,"
                        + "\"remaining\":110000,\"resetsAt\":\"2026-11-21T23:00:00Z\",\"burnRatePerHour\":0,"
                        + "\"projectedExhaustionAt\":null,\"costUsd\":1.35}");

        CliRun run = run(
                "budget", "set-cap", "team", "platform", "--daily-tokens", "200000", "--time-zone", "Europe/Berlin");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .isEqualTo(String.join(
                        NL,
                        "daily cap of team platform set to 200000 tokens",
                        "SCOPE             CAP  SPENT  HELD  REMAINING  BURN/H  RUNS OUT AT  USD CAP  USD SPENT"
                                + "  USD HELD  RESETS AT             TIME ZONE",
                        "team:platform  200000  90000     0     110000       0  -                  -          -"
                                + "         -  2026-11-21T23:00:00Z  Europe/Berlin",
                        ""));
        StubApi.Request sent = state.only();
        assertThat(sent.method()).isEqualTo("PUT");
        assertThat(sent.path()).isEqualTo("/api/v1/budget/caps");
        assertThat(sent.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(sent.contentType()).isEqualTo("application/json");
        assertThat(sent.body())
                .hasToString("{\"scope\":{\"kind\":\"team\",\"id\":\"platform\"},\"dailyTokens\":200000,"
                        + "\"timeZone\":\"Europe/Berlin\"}");
    }

    @Test
    void setCapWithDailyUsdSendsTheMoneyCapAndLeavesTheTokenCapOut() {
        state.answer(
                200,
                "{\"scope\":{\"kind\":\"loop\",\"id\":\"docs\"},\"day\":\"2026-11-21\",\"timeZone\":\"UTC\","
                        + "\"cap\":null,\"spent\":0,\"held\":0,\"remaining\":null,"
                        + "\"resetsAt\":\"2026-11-22T00:00:00Z\",\"burnRatePerHour\":0,\"projectedExhaustionAt\":null,"
                        + "\"costUsd\":0,\"usdCap\":25.5,\"usdSpent\":0,\"usdHeld\":0}");

        CliRun run = run("budget", "set-cap", "loop", "docs", "--daily-usd", "25.50");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .startsWith("daily cap of loop docs set to $25.50" + NL)
                .contains("$25.50");
        assertThat(state.only().body())
                .hasToString("{\"scope\":{\"kind\":\"loop\",\"id\":\"docs\"},\"dailyUsd\":25.5}");
    }

    @Test
    void setCapOfTheGlobalScopeSendsNoIdAndNoTimeZone() {
        state.answer(
                200,
                "{\"scope\":{\"kind\":\"global\",\"id\":\"global\"},\"cap\":0,\"spent\":0,\"held\":0,"
                        + "\"remaining\":0,\"burnRatePerHour\":0,\"timeZone\":\"UTC\"}");

        CliRun run = run("budget", "set-cap", "global", "--daily-tokens", "0");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith("daily cap of global set to 0 tokens" + NL);
        assertThat(state.only().body()).hasToString("{\"scope\":{\"kind\":\"global\"},\"dailyTokens\":0}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "budget set-cap loop --daily-tokens 5               | a loop scope needs an id",
                "budget set-cap team platform                       | give --daily-tokens, --daily-usd or both",
                "budget set-cap team platform --daily-usd -0.5      | --daily-usd must be 0 or more, not -0.5",
                "budget set-cap team platform --daily-tokens -1     | --daily-tokens must be 0 or more, not -1",
                "budget set-cap team platform --daily-tokens lots   | Invalid value for option '--daily-tokens'",
                "budget set-cap global x --daily-tokens 5           | the global scope takes no id"
            })
    void badArgumentsAreAUsageErrorAndSendNothing(String line, String message) {
        CliRun run = run(KillSwitchVerbsTest.split(line));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains(message).contains("Usage:");
        assertThat(state.requests()).isEmpty();
    }

    @Test
    void anUnknownTimeZoneIsRefusedWithStateServicesDetail() {
        state.answer(
                400,
                "{\"type\":\"https://loopline.dev/problems/invalid-request\",\"title\":\"Invalid request\","
                        + "\"status\":400,\"detail\":\"timeZone: is not a known time zone\"}");

        CliRun run = run("budget", "set-cap", "team", "platform", "--daily-tokens", "5", "--time-zone", "Mars/Base");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).isEqualTo("budget set-cap team platform: timeZone: is not a known time zone" + NL);
    }

    @Test
    void setCapWithATokenWithoutTheAdminRoleIsDeniedWithAHintAtTheToken() {
        state.answer(
                403,
                "{\"type\":\"https://loopline.dev/problems/forbidden\",\"title\":\"Forbidden\",\"status\":403,"
                        + "\"detail\":\"Token 'ci' (role operator) may not admin\"}");

        CliRun run = run("budget", "set-cap", "global", "--daily-tokens", "5");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(run.err())
                .isEqualTo("loopline budget set-cap: state-service refused this request: Token 'ci' (role operator)"
                        + " may not admin. Set LOOPLINE_TOKEN (or pass --token) to a token whose role allows it." + NL);
        assertThat(run.all()).doesNotContain(TOKEN);
    }
}
