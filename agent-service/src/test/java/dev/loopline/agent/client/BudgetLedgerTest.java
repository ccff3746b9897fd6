package dev.loopline.agent.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import dev.loopline.testsupport.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger client's answers when state-service refuses it or cannot be reached: never a grant, never the token. */
class BudgetLedgerTest {

    private final BudgetLedgerStub stub = new BudgetLedgerStub();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() {
        stub.start();
    }

    @AfterEach
    void stop() {
        stub.stop();
    }

    @Test
    void aTokenTheLedgerRefusesIsUnavailableAndTheReasonDoesNotCarryTheToken() {
        String secret = "wrong-secret-token";
        BudgetLedger ledger = BudgetLedger.of(http, URI.create(stub.url()), secret, Duration.ofSeconds(5));

        BudgetLedger.Reservation answer = ledger.reserve("docs", "platform", 100, "mock", Duration.ofMinutes(12));

        assertThat(answer)
                .isEqualTo(new BudgetLedger.Unavailable("HTTP 401 from POST " + stub.url()
                        + "/api/v1/budget/reservations: Unauthorized (token not accepted)"));
        assertThat(((BudgetLedger.Unavailable) answer).reason()).doesNotContain(secret);
    }

    @Test
    void aLedgerNobodyListensAtIsUnavailable() {
        URI nowhere = URI.create("http://127.0.0.1:" + FreePorts.pick());
        BudgetLedger ledger = BudgetLedger.of(http, nowhere, BudgetLedgerStub.TOKEN, Duration.ofSeconds(5));

        BudgetLedger.Reservation answer = ledger.reserve("docs", "platform", 100, "mock", Duration.ofMinutes(12));

        assertThat(answer).isInstanceOf(BudgetLedger.Unavailable.class);
        assertThat(((BudgetLedger.Unavailable) answer).reason())
                .startsWith("cannot reach " + nowhere + "/api/v1/budget/reservations: ConnectException");
    }

    @Test
    void settlingOrReleasingAtALedgerNobodyListensAtDoesNotThrow() {
        URI nowhere = URI.create("http://127.0.0.1:" + FreePorts.pick());
        BudgetLedger ledger = BudgetLedger.of(http, nowhere, BudgetLedgerStub.TOKEN, Duration.ofSeconds(5));
        BudgetLedger.Granted hold = new BudgetLedger.Granted("0b5c2f0e-8d53-4c53-9b56-6a2f4f3f7a11", 100);

        assertThatNoException().isThrownBy(() -> {
            ledger.settle(hold, 40, "mock", 0);
            ledger.release(hold);
        });
    }

    @Test
    void aRefusalNamesTheScopeItsNumbersAndWhenItResets() {
        BudgetLedger ledger =
                BudgetLedger.of(http, URI.create(stub.url()), BudgetLedgerStub.TOKEN, Duration.ofSeconds(5));

        BudgetLedger.Reservation answer =
                ledger.reserve(BudgetLedgerStub.EXHAUSTED + "docs", "platform", 100, "mock", Duration.ofMinutes(12));

        assertThat(answer)
                .isEqualTo(new BudgetLedger.Refused("budget of loop exhausted-docs exhausted: cap 1000, spent 960,"
                        + " held 0, requested 100; resets at 2031-01-02T00:00:00Z"));
    }

    @Test
    void aKilledScopeRefusesWithTheSwitchsReason() {
        BudgetLedger ledger =
                BudgetLedger.of(http, URI.create(stub.url()), BudgetLedgerStub.TOKEN, Duration.ofSeconds(5));

        BudgetLedger.Reservation answer =
                ledger.reserve(BudgetLedgerStub.KILLED + "docs", "platform", 100, "mock", Duration.ofMinutes(12));

        assertThat(answer)
                .isEqualTo(new BudgetLedger.Refused("Scope loop:killed-docs is killed: runaway costs (by alice)"));
    }

    @Test
    void aDisabledLedgerGrantsWithoutHolding() {
        BudgetLedger.Reservation answer =
                BudgetLedger.disabled().reserve("docs", "platform", 100, "mock", Duration.ofMinutes(12));

        assertThat(answer).isInstanceOf(BudgetLedger.Granted.class);
        assertThat(((BudgetLedger.Granted) answer).held()).isFalse();
    }

    @Test
    void aMakerThatReportsMoreThanTheHoldIsSettledAtTheHoldsMaximum() throws Exception {
        BudgetLedger ledger =
                BudgetLedger.of(http, URI.create(stub.url()), BudgetLedgerStub.TOKEN, Duration.ofSeconds(5));
        BudgetLedger.Granted hold =
                (BudgetLedger.Granted) ledger.reserve("docs", "platform", 100, "mock", Duration.ofMinutes(12));

        ledger.settle(hold, 130, "mock", 120);

        JsonNode requests = Json.mapper()
                .readTree(http.send(
                                HttpRequest.newBuilder(URI.create(stub.url() + BudgetLedgerStub.REQUESTS_PATH))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
        JsonNode settle = requests.get(requests.size() - 1);
        assertThat(settle.path("path").asText())
                .isEqualTo(BudgetLedger.RESERVATIONS_PATH + "/" + hold.id() + "/settle");
        // state-service refuses a settlement above the declared maximum, which for the agent is what it reserved
        assertThat(Json.mapper().readTree(settle.path("body").asText()))
                .isEqualTo(Json.mapper().readTree("{\"actualTokens\":100,\"model\":\"mock\",\"inputTokens\":100}"));
    }
}
