package dev.loopline.state.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.loopline.state.StateApi;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Every error is an RFC 9457 problem document; no endpoint answers without the bearer token. */
@QuarkusTest
class ApiErrorsTest {

    @Test
    void missingTokenIsUnauthorizedProblem() {
        given().get("/api/v1/ticks")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", is(401))
                .body("title", equalTo("Unauthorized"))
                .body("type", equalTo("https://loopline.dev/problems/unauthorized"))
                .body("detail", containsString("Bearer"));
    }

    @Test
    void wrongTokenIsUnauthorizedProblemOnEveryEndpoint() {
        for (String path :
                new String[] {"/api/v1/ticks", "/api/v1/ticks/t-1", "/api/v1/loops", "/api/v1/dead-letters"}) {
            given().auth()
                    .oauth2("not-the-token")
                    .get(path)
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .body("status", is(401))
                    .body("title", equalTo("Unauthorized"));
        }
    }

    @Test
    void unknownTickIsNotFoundProblem() {
        given().auth()
                .oauth2(StateApi.TOKEN)
                .get("/api/v1/ticks/{id}", "no-such-tick")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", is(404))
                .body("title", equalTo("Not Found"))
                .body("detail", equalTo("No tick no-such-tick"));
    }

    @Test
    void unknownPathIsNotFoundProblemWithoutInternals() {
        given().auth()
                .oauth2(StateApi.TOKEN)
                .get("/api/v1/nothing-here")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", is(404))
                .body(not(containsString("Exception")));
    }

    @Test
    void invalidQueryParametersAreBadRequestProblemsNamingTheField() {
        given().auth()
                .oauth2(StateApi.TOKEN)
                .queryParam("limit", 201)
                .get("/api/v1/ticks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit"))
                .body("detail", equalTo("limit: must be between 1 and 200"));
        given().auth()
                .oauth2(StateApi.TOKEN)
                .queryParam("cursor", "garbage")
                .get("/api/v1/ticks")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        given().auth()
                .oauth2(StateApi.TOKEN)
                .queryParam("since", "yesterday")
                .get("/api/v1/ticks")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("since"));
        given().auth()
                .oauth2(StateApi.TOKEN)
                .queryParam("outcome", "great")
                .get("/api/v1/ticks")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("outcome"));
    }

    @Test
    void healthMetricsAndOpenApiNeedNoToken() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/ticks"));
    }
}
