package dev.loopline.state;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.function.Predicate;

/** Calls of the state API as an authenticated client, shared by the tests. */
public final class StateApi {

    /** {@code %test.loopline.auth.token}. */
    public static final String TOKEN = "test-token";

    /** Upper bound for anything that has to travel through Kafka (first use includes partition assignment). */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private StateApi() {}

    public static RequestSpecification api() {
        return given().auth().oauth2(TOKEN);
    }

    /** {@code POST /api/v1/control/{action}} ({@code kill} or {@code resume}) for a loop; expects 200. */
    public static ValidatableResponse loopControl(String action, String loop, String reason, String by) {
        return api().contentType("application/json")
                .body("{\"scope\":\"loop\",\"id\":\"" + loop + "\",\"reason\":\"" + reason + "\",\"by\":\"" + by
                        + "\"}")
                .post("/api/v1/control/" + action)
                .then()
                .statusCode(200)
                .contentType("application/json");
    }

    /** {@code GET /api/v1/budget}: every scope with a cap or usage today. */
    public static JsonPath budgetOverview() {
        return api().get("/api/v1/budget").then().statusCode(200).extract().jsonPath();
    }

    /** The entry of the scope with id {@code scopeId} in a budget overview; fails when it is not listed. */
    public static JsonPath scopeIn(JsonPath overview, String scopeId) {
        int index = overview.getList("scope.id", String.class).indexOf(scopeId);
        if (index < 0) {
            throw new AssertionError("the budget overview does not list " + scopeId + ": " + overview.prettify());
        }
        return JsonPath.from(overview.prettify()).setRootPath("[" + index + "]");
    }

    /** The budget overview's entry of {@code scopeId}. */
    public static JsonPath budgetOf(String scopeId) {
        return scopeIn(budgetOverview(), scopeId);
    }

    /** Waits until the tick exists and its detail satisfies {@code condition}; returns that detail. */
    public static JsonPath awaitTick(String tickId, Predicate<JsonPath> condition) {
        return await().atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            ExtractableResponse<Response> response = api().get("/api/v1/ticks/{id}", tickId)
                                    .then()
                                    .extract();
                            return response.statusCode() == 200 ? response.jsonPath() : null;
                        },
                        t -> t != null && condition.test(t));
    }

    public static String tickJson(String tickId) {
        return api().get("/api/v1/ticks/{id}", tickId)
                .then()
                .statusCode(200)
                .extract()
                .body()
                .asString();
    }
}
