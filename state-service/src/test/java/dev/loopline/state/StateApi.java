package dev.loopline.state;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
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
