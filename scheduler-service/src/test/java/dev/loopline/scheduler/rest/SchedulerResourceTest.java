package dev.loopline.scheduler.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import dev.loopline.scheduler.client.StateStubTestResource;
import dev.loopline.testsupport.KafkaTestResource;
import dev.loopline.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The replica's role: the only replica takes leadership, and says so in its API and in its health. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(
        value = PostgresTestResource.class,
        restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = PostgresTestResource.DATABASE_ARG, value = "scheduler"))
@QuarkusTestResource(SpecDirTestResource.class)
@QuarkusTestResource(StateStubTestResource.class)
class SchedulerResourceTest {

    private static final String TOKEN = "Bearer test-token";

    @Test
    void theOnlyReplicaLeadsAndShowsItsRoleAndTheTickCapacity() {
        String replica = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> given().header("Authorization", TOKEN)
                                .when()
                                .get("/api/v1/scheduler")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        json -> json.getBoolean("leader"))
                .getString("replicaId");

        given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/scheduler")
                .then()
                .statusCode(200)
                .body("currentLeader", equalTo(replica))
                .body("leaderSince", notNullValue())
                .body("currentLeaderUntil", notNullValue())
                .body("maxInFlight", equalTo(50))
                .body("specCommit", equalTo(SpecDirTestResource.commit()))
                .body("ticksInFlight", greaterThanOrEqualTo(0));
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.name", hasItem("scheduler-role"))
                .body("checks.find { it.name == 'scheduler-role' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'scheduler-role' }.data.role", equalTo("leader"))
                .body("checks.find { it.name == 'scheduler-role' }.data.replicaId", equalTo(replica));
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(matchesPattern("(?s).*\\nloopline_scheduler_leader(\\{[^}]*})? 1\\.0\\n.*"));
    }

    @Test
    void theSchedulerEndpointNeedsTheToken() {
        given().when().get("/api/v1/scheduler").then().statusCode(401);
    }
}
