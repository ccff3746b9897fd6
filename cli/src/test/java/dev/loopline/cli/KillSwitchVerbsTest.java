package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code kill}, {@code unkill} and {@code control} against a stub state-service. */
class KillSwitchVerbsTest {

    private static final String TOKEN = "op-token-7f3a";
    private static final String NL = System.lineSeparator();

    private final StubApi state = new StubApi();

    @AfterEach
    void stop() {
        state.close();
    }

    private CliRun run(String... verb) {
        return state.runAsState(TOKEN, verb);
    }

    @Test
    void killOfALoopPostsTheScopeReasonAndWhoAndSaysRunningTicksAreHalted() {
        state.answer(
                200,
                "{\"scope\":\"loop\",\"id\":\"docs\",\"state\":\"killed\",\"reason\":\"runaway edits\","
                        + "\"by\":\"alice\",\"at\":\"2026-11-21T10:15:30.123456Z\"}");

        CliRun run = run("kill", "loop", "docs", "--reason", "runaway edits");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .isEqualTo("killed loop docs at 2026-11-21T10:15:30Z by alice: runaway edits" + NL
                        + "Every tick of loop docs is halted, running ones included, and none starts until:"
                        + " loopline unkill loop docs --reason …" + NL);
        assertThat(run.err()).isEmpty();
        StubApi.Request sent = state.only();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/api/v1/control/kill");
        assertThat(sent.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(sent.contentType()).isEqualTo("application/json");
        assertThat(sent.body())
                .hasToString("{\"scope\":\"loop\",\"id\":\"docs\",\"reason\":\"runaway edits\",\"by\":\""
                        + System.getProperty("user.name") + "\"}");
    }

    @Test
    void killGlobalSendsNoIdAndSaysEveryLoopHalts() {
        state.answer(
                200,
                "{\"scope\":\"global\",\"id\":\"global\",\"state\":\"killed\",\"reason\":\"incident 42\","
                        + "\"by\":\"alice\",\"at\":\"2026-11-21T10:15:30Z\"}");

        CliRun run = run("kill", "global", "--reason", "incident 42");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .startsWith("killed global at 2026-11-21T10:15:30Z by alice: incident 42" + NL
                        + "Every tick of every loop is halted");
        assertThat(state.only().body().has("id")).isFalse();
        assertThat(state.only().body().path("scope").asText()).isEqualTo("global");
    }

    @Test
    void unkillOfATeamPostsToResumeAndSaysWhoLiftedIt() {
        state.answer(
                200,
                "{\"scope\":\"team\",\"id\":\"platform\",\"state\":\"resumed\",\"reason\":\"incident over\","
                        + "\"by\":\"bob\",\"at\":\"2026-11-21T11:00:00Z\"}");

        CliRun run = run("unkill", "team", "platform", "--reason", "incident over");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .isEqualTo(
                        "lifted the kill switch of team platform at 2026-11-21T11:00:00Z by bob: incident over" + NL);
        StubApi.Request sent = state.only();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/api/v1/control/resume");
        assertThat(sent.body().path("scope").asText()).isEqualTo("team");
        assertThat(sent.body().path("id").asText()).isEqualTo("platform");
        assertThat(sent.body().path("reason").asText()).isEqualTo("incident over");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "kill team --reason x                     | a team scope needs an id",
                "kill global extra --reason x             | the global scope takes no id",
                "kill planet earth --reason x             | Invalid value for positional parameter",
                "kill loop docs                           | Missing required option: '--reason",
                "unkill loop docs --reason ' '            | --reason must not be blank",
                "unkill                                   | Missing required parameter: '<scope>'",
                "control --log --limit 0                  | --limit must be between 1 and 200, not 0"
            })
    void badArgumentsAreAUsageErrorAndSendNothing(String line, String message) {
        CliRun run = run(split(line));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains(message).contains("Usage:");
        assertThat(run.out()).isEmpty();
        assertThat(state.requests()).isEmpty();
    }

    @Test
    void aRefusedKillPrintsTheProblemOnceAndFails() {
        state.answer(
                400,
                "{\"type\":\"https://loopline.dev/problems/invalid-request\",\"title\":\"Invalid request\","
                        + "\"status\":400,\"detail\":\"id: must be a team or loop id\"}");

        CliRun run = run("kill", "loop", "Docs", "--reason", "x");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).isEqualTo("kill loop Docs: id: must be a team or loop id" + NL);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void controlShowsTheKillSwitchesOnAndTheBudgetAlertsInForce() {
        state.answer(
                200,
                "{\"asOf\":\"2026-11-21T12:00:00.5Z\",\"kills\":["
                        + "{\"scope\":\"global\",\"id\":\"global\",\"state\":\"killed\",\"reason\":\"incident 42\","
                        + "\"by\":\"alice\",\"at\":\"2026-11-21T10:15:30Z\"},"
                        + "{\"scope\":\"loop\",\"id\":\"docs\",\"state\":\"killed\",\"reason\":\"runaway edits\","
                        + "\"by\":\"ci-bot\",\"at\":\"2026-11-21T11:00:00Z\"}],"
                        + "\"budgetAlerts\":[{\"scope\":\"budget\",\"kind\":\"team\",\"id\":\"platform\","
                        + "\"day\":\"2026-11-21\",\"action\":\"halt\",\"percent\":100,\"used\":100000,"
                        + "\"cap\":100000,\"resetsAt\":\"2026-11-22T00:00:00Z\",\"at\":\"2026-11-21T11:30:00Z\"}]}");

        CliRun run = run("control");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .isEqualTo(String.join(
                        NL,
                        "As of 2026-11-21T12:00:00Z:",
                        "Kill switches on (every tick in the scope halts, running ones included):",
                        "SCOPE      SINCE                 BY      REASON",
                        "global     2026-11-21T10:15:30Z  alice   incident 42",
                        "loop:docs  2026-11-21T11:00:00Z  ci-bot  runaway edits",
                        "Budget alerts in force (halt: nothing runs; report-only: runs as L1, no writes):",
                        "SCOPE          ACTION    USED     CAP  PERCENT  UNTIL",
                        "team:platform  halt    100000  100000     100%  2026-11-22T00:00:00Z",
                        ""));
        StubApi.Request sent = state.only();
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.path()).isEqualTo("/api/v1/control/snapshot");
        assertThat(sent.authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void controlSaysSoWhenNothingIsInForce() {
        state.answer(200, "{\"asOf\":\"2026-11-21T12:00:00Z\",\"kills\":[],\"budgetAlerts\":[]}");

        CliRun run = run("control");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .isEqualTo("As of 2026-11-21T12:00:00Z:" + NL + "No kill switch is on." + NL
                        + "No budget alert is in force." + NL);
    }

    @Test
    void controlJsonPrintsTheSnapshot() {
        String snapshot = "{\"asOf\":\"2026-11-21T12:00:00Z\",\"kills\":[],\"budgetAlerts\":[]}";
        state.answer(200, snapshot);

        CliRun run = run("control", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo(snapshot + NL);
    }

    @Test
    void controlLogListsWhoKilledAndResumedAndTheThresholdsReachedNewestFirst() {
        state.answer(
                200,
                "[{\"time\":\"2026-11-21T11:30:00Z\",\"type\":\"budget-halt\",\"scope\":{\"kind\":\"team\","
                        + "\"id\":\"platform\"},\"by\":\"budget-ledger\",\"reason\":\"team:platform reached 100%\"},"
                        + "{\"time\":\"2026-11-21T10:15:30Z\",\"type\":\"kill\",\"scope\":{\"kind\":\"global\","
                        + "\"id\":\"global\"},\"by\":\"alice\",\"reason\":\"incident 42\"}]");

        CliRun run = run("control", "--log", "--limit", "5");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .isEqualTo(String.join(
                        NL,
                        "TIME                  WHAT         SCOPE          BY             WHY",
                        "2026-11-21T11:30:00Z  budget-halt  team:platform  budget-ledger  team:platform reached 100%",
                        "2026-11-21T10:15:30Z  kill         global         alice          incident 42",
                        ""));
        StubApi.Request sent = state.only();
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.path()).isEqualTo("/api/v1/control/events");
        assertThat(sent.query()).isEqualTo("limit=5");
        assertThat(sent.authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void anEmptyControlLogSaysSo() {
        state.answer(200, "[]");

        CliRun run = run("control", "--log");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith("The control log is empty");
        assertThat(state.only().query()).isEqualTo("limit=20");
    }

    /** Splits a test line on spaces, keeping a single-quoted word ({@code ' '}) as one argument. */
    static String[] split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.strip().toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words.toArray(String[]::new);
    }
}
