package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every remote verb does when it gets no usable answer: an unreachable service, a refused token, a body that is
 * not JSON, a bad URL. None of them ever prints the token.
 */
class RemoteErrorsTest {

    private static final String TOKEN = "tok-3e9d1c";
    private static final String NL = System.lineSeparator();

    private final StubApi service = new StubApi();

    @AfterEach
    void stop() {
        service.close();
    }

    /** A loopback port nothing listens on: bound, then released. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anUnreachableServiceIsNamedWithItsUrlAndHowToStartTheStack() {
        String url = "http://127.0.0.1:" + closedPort();

        CliRun run = CliRun.run("", "budget", "--state-url", url, "--token", TOKEN);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err())
                .isEqualTo("loopline budget: cannot reach state-service at " + url + " (connection refused)."
                        + " Is Loopline running? Start the local stack with ./loopline up, or point --state-url /"
                        + " LOOPLINE_STATE_URL at a running deployment." + NL);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnreachableSchedulerNamesItsOwnOptionAndVariable() {
        String url = "http://127.0.0.1:" + closedPort();

        CliRun run = CliRun.run("", "trigger", "docs", "--scheduler-url", url, "--token", TOKEN);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err())
                .contains("cannot reach scheduler-service at " + url)
                .contains("--scheduler-url / LOOPLINE_SCHEDULER_URL")
                .doesNotContain(TOKEN);
    }

    @Test
    void aRefusedTokenGivesTheProblemItsSourceAndAHintAtLooplineToken() {
        service.answer(
                401,
                "{\"type\":\"https://loopline.dev/problems/unauthorized\",\"title\":\"Unauthorized\",\"status\":401,"
                        + "\"detail\":\"A valid 'Authorization: Bearer <token>' is required (unknown, expired and"
                        + " revoked tokens are refused)\"}");

        CliRun run = CliRun.run("", "control", "--state-url", service.url(), "--token", TOKEN);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(run.err())
                .isEqualTo("loopline control: state-service refused the token from --token: A valid 'Authorization:"
                        + " Bearer <token>' is required (unknown, expired and revoked tokens are refused). Set"
                        + " LOOPLINE_TOKEN (or pass --token) to a valid API token." + NL);
        assertThat(run.all()).doesNotContain(TOKEN);
        assertThat(service.only().authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void aRefusedTokenOnASchedulerVerbIsDeniedToo() {
        service.answer(
                401,
                "{\"type\":\"https://loopline.dev/problems/unauthorized\",\"title\":\"Unauthorized\",\"status\":401,"
                        + "\"detail\":\"a valid bearer token is required (Authorization: Bearer <token>)\"}");

        CliRun run = CliRun.run("", "pause", "docs", "--scheduler-url", service.url(), "--token", TOKEN);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(run.err()).startsWith("loopline pause: scheduler-service refused the token from --token: ");
        assertThat(run.all()).doesNotContain(TOKEN);
    }

    @Test
    void anAnswerThatIsNotJsonSaysWhichServiceWasExpected() {
        service.answer(200, "<html>hello</html>");

        CliRun run = CliRun.run("", "budget", "--state-url", service.url(), "--token", TOKEN);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err())
                .isEqualTo("loopline budget: " + service.url() + " answered HTTP 200 with a body that is not JSON;"
                        + " is it the state-service? (--state-url / LOOPLINE_STATE_URL)" + NL);
    }

    @Test
    void aUsageErrorThatQuotesTheCommandLineNeverQuotesTheToken() {
        CliRun spaced = CliRun.run("", "token", "--state-url", service.url(), "--token", TOKEN);
        CliRun joined = CliRun.run("", "token", "--token=" + TOKEN);

        assertThat(spaced.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(spaced.err())
                .contains("Unknown options: '--state-url', '" + service.url() + "', '--token', '<token>'");
        assertThat(joined.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(joined.err()).contains("Unknown option: '--token=<token>'");
        assertThat(spaced.all() + joined.all()).doesNotContain(TOKEN);
        assertThat(service.requests()).isEmpty();
    }

    @Test
    void aUrlWithoutSchemeIsAUsageError() {
        CliRun run = CliRun.run("", "budget", "--state-url", "localhost:8085", "--token", TOKEN);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err())
                .isEqualTo("loopline budget: 'localhost:8085' is not an http(s) URL of the state-service (set by"
                        + " --state-url or LOOPLINE_STATE_URL)" + NL);
    }

    @Test
    void anIdThatCannotBeInAUrlPathIsAUsageErrorAndSendsNothing() {
        CliRun run = CliRun.run("", "trigger", "my loop", "--scheduler-url", service.url(), "--token", TOKEN);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err())
                .isEqualTo("loopline trigger: '/api/v1/loops/my loop/ticks' cannot be sent: an id holds a character a"
                        + " URL path cannot (ids are lower-case letters, digits and '-')" + NL);
        assertThat(service.requests()).isEmpty();
    }

    @Test
    void aTriggerTheSchedulerRefusesPrintsTheReasonOnce() {
        service.answer(
                409,
                "{\"type\":\"https://loopline.dev/problems/admission-refused\",\"title\":\"The loop may not run now\","
                        + "\"status\":409,\"detail\":\"loop gated may not run now: budget halt: loop:gated used 100000"
                        + " of its 100000-token daily cap\"}");

        CliRun run = CliRun.run("", "trigger", "gated", "--scheduler-url", service.url(), "--token", TOKEN);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err())
                .isEqualTo("trigger gated: loop gated may not run now: budget halt: loop:gated used 100000 of its"
                        + " 100000-token daily cap" + NL);
        assertThat(run.out()).isEmpty();
        StubApi.Request sent = service.only();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/api/v1/loops/gated/ticks");
        assertThat(sent.body().path("by").asText()).isEqualTo(System.getProperty("user.name"));
    }

    @Test
    void aProblemWithoutDetailFallsBackToItsTitle() {
        service.answer(503, "{\"title\":\"Service Unavailable\",\"status\":503}");

        CliRun run = CliRun.run("", "ticks", "--state-url", service.url(), "--token", TOKEN);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).isEqualTo("ticks: Service Unavailable" + NL);
        assertThat(service.only().path()).isEqualTo("/api/v1/ticks");
        assertThat(service.only().query()).isEqualTo("limit=20");
    }
}
