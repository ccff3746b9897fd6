package dev.loopline.gate.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.auth.Caller;
import dev.loopline.core.auth.Role;
import dev.loopline.gate.approval.ApprovalDecisions.Outcome;
import dev.loopline.gate.approval.ApprovalNotice.Channel;
import dev.loopline.gate.approval.ApprovalNotice.State;
import dev.loopline.schemas.events.ApprovalRecorded;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.testsupport.MutableClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gate replicas over one real Postgres database and one bare remote, each with its own connection pool, git
 * work dir and publisher: 20 approvals arriving at once (ten approvers, each clicking twice, on alternating
 * replicas) merge the change exactly once and publish exactly one merge event.
 */
class TwoReplicaApprovalTest {

    private static ApprovalDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = ApprovalDatabase.named("gate_two_replicas");
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @Test
    void twentyConcurrentApprovalsOnTwoReplicasMergeOnceAndDecideOnce() throws Exception {
        GitFixture repo = new GitFixture(tmp.resolve("repo"));
        MutableClock clock = new MutableClock(ApprovalHarness.START);
        Map<String, Integer> quorum = Map.of(ApprovalHarness.LOOP, 3);
        ApprovalHarness a = new ApprovalHarness(db, tmp.resolve("replica-a"), clock, quorum, List.of());
        ApprovalHarness b = new ApprovalHarness(db, tmp.resolve("replica-b"), clock, quorum, List.of());
        String base = repo.mainOnRemote();
        int commitsBefore = repo.commitCount("main");
        a.store.recordTrigger("t-race", "cadence", "scheduler", clock.instant());
        ChangeDecided decided =
                a.decideAndOpen(ApprovalHarness.verdict(repo, "t-race", 1, "docs/guide.md", "# Guide\n\nrace\n"));
        String id = ApprovalService.idFor("t-race", 1);

        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcome>> votes = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                ApprovalHarness replica = i % 2 == 0 ? a : b;
                Caller approver = new Caller("approver-" + (i / 2), Role.APPROVER, "platform", false);
                Channel channel = i % 4 < 2 ? Channel.REST : Channel.CLI;
                votes.add(pool.submit(() -> {
                    start.await();
                    return replica.service.decide(id, true, approver, channel, null);
                }));
            }
            start.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> vote : votes) {
                outcomes.add(vote.get(120, TimeUnit.SECONDS));
            }

            assertThat(outcomes).allSatisfy(o -> assertThat(o.accepted() || o.refusal() == ProblemType.APPROVAL_CLOSED)
                    .as(o.message())
                    .isTrue());
            List<String> messages = outcomes.stream().map(Outcome::message).toList();
            assertThat(messages)
                    .as("every answer: %s", messages)
                    .filteredOn(m -> m.startsWith("approved by") && m.contains("; merged into main"))
                    .hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        a.service.flush();
        b.service.flush();

        assertThat(repo.mainOnRemote()).isEqualTo(decided.commit());
        assertThat(repo.parentOf(decided.commit())).isEqualTo(base);
        assertThat(repo.commitCount("main")).isEqualTo(commitsBefore + 1);
        List<Event> published = Stream.concat(a.sent.stream(), b.sent.stream()).toList();
        assertThat(published).extracting(Event::id).doesNotHaveDuplicates();
        List<ApprovalRecorded> records = published.stream()
                .filter(e -> e.data() instanceof ApprovalRecorded)
                .map(e -> e.dataAs(ApprovalRecorded.class))
                .toList();
        assertThat(records)
                .filteredOn(r -> r.action() == ApprovalRecorded.Action.MERGED)
                .hasSize(1);
        assertThat(records)
                .filteredOn(r -> r.action() == ApprovalRecorded.Action.APPROVED)
                .extracting(ApprovalRecorded::by)
                .doesNotHaveDuplicates()
                .hasSize(3);
        assertThat(a.service.find(id).orElseThrow().state()).isEqualTo(State.MERGED);
        assertThat(a.service.find(id).orElseThrow().votes()).hasSize(3);
    }
}
