package dev.loopline.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(StubStateService.class)
class DashboardResourceTest {

    @Test
    void servesThePageWithoutAToken() {
        given().when().get("/").then().statusCode(200).body(containsString("Recent ticks"));
    }

    @Test
    void refusesApiCallsWithoutTheTokenAsProblemJson() {
        given().when()
                .get("/api/v1/ticks")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("detail", containsString("Bearer"));
        given().header("Authorization", "Bearer wrong")
                .when()
                .get("/api/v1/ticks")
                .then()
                .statusCode(401);
    }

    @Test
    void proxiesTicksWithTheDashboardsOwnStateToken() {
        given().header("Authorization", "Bearer test-token")
                .when()
                .get("/api/v1/ticks")
                .then()
                .statusCode(200)
                .body("items[0].tickId", equalTo("t-1"))
                .body("items[0].outcome", equalTo("merged"));

        assertThat(StubStateService.AUTHORIZATIONS).last().isEqualTo("Bearer state-token");
    }

    @Test
    void unknownTickIsA404Problem() {
        given().header("Authorization", "Bearer test-token")
                .when()
                .get("/api/v1/ticks/nope")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
