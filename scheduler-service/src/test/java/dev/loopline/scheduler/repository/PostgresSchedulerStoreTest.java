package dev.loopline.scheduler.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.scheduler.service.SchedulerStore.Acquisition;
import dev.loopline.scheduler.service.SchedulerStore.SlotClaim;
import dev.loopline.scheduler.service.SchedulerStore.TickLease;
import dev.loopline.schemas.http.LoopStatus;
import dev.loopline.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The conditional statements of the store, each against a real Postgres from two connection pools. */
class PostgresSchedulerStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

    private static Map<String, String> props;
    private static AgroalDataSource poolA;
    private static AgroalDataSource poolB;
    private static PostgresSchedulerStore a;
    private static PostgresSchedulerStore b;

    @BeforeAll
    static void database() throws SQLException {
        PostgresTestResource resource = new PostgresTestResource();
        resource.init(Map.of(PostgresTestResource.DATABASE_ARG, "scheduler_store_test"));
        props = resource.start();
        Flyway.configure()
                .dataSource(url(), user(), password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
        poolA = pool();
        poolB = pool();
        a = new PostgresSchedulerStore(poolA);
        b = new PostgresSchedulerStore(poolB);
    }

    private static String url() {
        return props.get("quarkus.datasource.jdbc.url");
    }

    private static String user() {
        return props.get("quarkus.datasource.username");
    }

    private static String password() {
        return props.get("quarkus.datasource.password");
    }

    private static AgroalDataSource pool() throws SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(cp -> cp.maxSize(2).connectionFactoryConfiguration(cf -> cf.jdbcUrl(url())
                        .principal(new NamePrincipal(user()))
                        .credential(new SimplePassword(password())))));
    }

    @AfterAll
    static void close() {
        poolA.close();
        poolB.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = DriverManager.getConnection(url(), user(), password());
                Statement st = c.createStatement()) {
            st.execute("TRUNCATE loop_state, loop_outcome, tick_lease, scheduler_leader");
        }
    }

    private static TickLease lease(String loopId, String tickId, String repo, boolean writes, Instant at) {
        return new TickLease(
                loopId, tickId, "platform", repo, writes, "cadence", "replica", at, at.plus(Duration.ofMinutes(15)));
    }

    @Test
    void aSlotIsTakenOnceEvenAfterTheTickThatTookItCompleted() {
        a.ensureLoops(List.of("docs"));
        Instant slot = T0.plusSeconds(5);
        assertThat(a.moveNextRun("docs", null, null, slot, "k")).isTrue();
        SlotClaim claim = new SlotClaim(slot, slot.plusSeconds(30), null, null);

        assertThat(a.acquire(lease("docs", "t1", "/r", false, slot), claim).result())
                .isEqualTo(Acquisition.Result.ACQUIRED);
        assertThat(a.release("t1")).isTrue();
        assertThat(a.release("t1")).isFalse();

        assertThat(b.acquire(lease("docs", "t2", "/r", false, slot), claim).result())
                .isEqualTo(Acquisition.Result.SLOT_TAKEN);
        assertThat(b.liveLeases(slot)).isEmpty();
        assertThat(b.state("docs", 4).orElseThrow().nextRunAt()).isEqualTo(slot.plusSeconds(30));
        assertThat(b.state("docs", 4).orElseThrow().lastSlot()).isEqualTo(slot);
    }

    @Test
    void aLiveLeaseBlocksItsLoopAndAWritersRepositoryAndAnExpiredOneIsTakenOver() {
        a.ensureLoops(List.of("fix-a", "fix-b", "report"));
        assertThat(a.acquire(lease("fix-a", "t1", "/r", true, T0), null).result())
                .isEqualTo(Acquisition.Result.ACQUIRED);

        Acquisition sameLoop = b.acquire(lease("fix-a", "t2", "/r", true, T0.plusSeconds(1)), null);
        assertThat(sameLoop.result()).isEqualTo(Acquisition.Result.LOOP_BUSY);
        assertThat(sameLoop.blocking().tickId()).isEqualTo("t1");
        Acquisition sameRepo = b.acquire(lease("fix-b", "t3", "/r", true, T0.plusSeconds(1)), null);
        assertThat(sameRepo.result()).isEqualTo(Acquisition.Result.REPO_BUSY);
        assertThat(sameRepo.blocking().loopId()).isEqualTo("fix-a");
        assertThat(b.acquire(lease("report", "t4", "/r", false, T0.plusSeconds(1)), null)
                        .result())
                .isEqualTo(Acquisition.Result.ACQUIRED);

        Instant expired = T0.plus(Duration.ofMinutes(15));
        assertThat(b.acquire(lease("fix-b", "t5", "/r", true, expired), null).result())
                .isEqualTo(Acquisition.Result.ACQUIRED);
        assertThat(b.liveLeases(expired)).extracting(TickLease::tickId).containsExactlyInAnyOrder("t4", "t5");
        assertThat(a.release("t1")).isFalse();
    }

    @Test
    void aPausedLoopCannotBeLeasedAndAFirstPauseStands() {
        a.ensureLoops(List.of("docs"));
        assertThat(a.pause("docs", new LoopStatus.Pause("alice", "freeze", T0))).isTrue();
        assertThat(b.pause("docs", new LoopStatus.Pause("bob", "other", T0))).isFalse();

        assertThat(b.acquire(lease("docs", "t1", "/r", false, T0), null).result())
                .isEqualTo(Acquisition.Result.HELD);
        assertThat(b.liveLeases(T0)).isEmpty();
        assertThat(b.state("docs", 4).orElseThrow().pause().by()).isEqualTo("alice");
    }
}
