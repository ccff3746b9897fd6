package dev.loopline.gate.service;

import dev.loopline.core.control.Admission;
import dev.loopline.core.io.Git;
import dev.loopline.gate.approval.ApprovalListener;
import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.repository.ApprovalRepository;
import dev.loopline.gate.repository.TargetRepository;
import dev.loopline.schemas.events.ApprovalRecorded;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.MutableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One gate "replica" for approval tests: its own connection pool, git work dir, outbox sender and listener, over
 * the shared test database and the fixture's bare remote.
 */
public final class ApprovalHarness {

    public static final String LOOP = "docs-loop";
    public static final String TEAM = "platform";
    static final Instant START = Instant.parse("2026-12-06T09:00:00Z");

    /** What the replica published, in order. */
    final List<Event> sent = new CopyOnWriteArrayList<>();
    /** What listeners were told: "opened:<id>:<state>" / "decided:<id>:<state>". */
    final List<String> told = new CopyOnWriteArrayList<>();

    final List<ApprovalNotice> notices = new CopyOnWriteArrayList<>();
    /** When set, the sender throws (a broker outage). */
    final AtomicReference<RuntimeException> brokerDown = new AtomicReference<>();

    final AtomicReference<Admission> admission = new AtomicReference<>(new Admission.Run());
    final ApprovalService service;
    final ApprovalRepository store;
    final GateService gate;

    /** How long a re-verification waits for the guard's verdict here. */
    static final Duration REVERIFY_TIMEOUT = Duration.ofMinutes(30);

    ApprovalHarness(
            ApprovalDatabase db,
            Path workDir,
            MutableClock clock,
            Map<String, Integer> loopQuorum,
            List<ApprovalListener> extraListeners) {
        TargetRepository target = new TargetRepository(new Git(), workDir);
        this.gate = new GateService(target, "Loopline Gate", "gate@loopline.invalid");
        this.store = new ApprovalRepository(db.pool(8));
        ApprovalListener recording = new ApprovalListener() {
            @Override
            public void opened(ApprovalNotice notice) {
                told.add("opened:" + notice.id() + ":" + notice.state());
                notices.add(notice);
            }

            @Override
            public void decided(ApprovalNotice notice) {
                told.add("decided:" + notice.id() + ":" + notice.state());
                notices.add(notice);
            }
        };
        List<ApprovalListener> listeners = new CopyOnWriteArrayList<>(extraListeners);
        listeners.add(recording);
        this.service = new ApprovalService(
                store,
                target,
                event -> {
                    RuntimeException down = brokerDown.get();
                    if (down != null) {
                        throw down;
                    }
                    sent.add(event);
                },
                listeners,
                (loop, team) -> admission.get(),
                new ApprovalService.Settings(
                        Duration.ofHours(72), 1, Map.of(), loopQuorum, 3, "https://dash", REVERIFY_TIMEOUT),
                clock,
                "Loopline Gate",
                "gate@loopline.invalid");
    }

    /** A verdict accepting the fixture's staged change of {@code path} at L2, against the remote's main. */
    public static Event verdict(GitFixture repo, String tickId, int attempt, String path, String content)
            throws IOException {
        String baseSha = repo.mainOnRemote();
        repo.write(path, content);
        String diff = repo.stagedDiff();
        LoopSpec spec = LoopSpec.builder(
                        LOOP,
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target(repo.remote.toString(), "main"))
                .team(TEAM)
                .build();
        ChangeVerified data = new ChangeVerified(
                ChangeVerified.Verdict.ACCEPT,
                List.of("tests passed"),
                List.of(),
                null,
                "main",
                baseSha,
                diff,
                GateService.sha256(diff),
                700,
                spec);
        return Event.of("guard-service", START, LOOP, tickId, TEAM, attempt, data);
    }

    /** What the gate's verdict consumer does for an L2 verdict: push the branch, open the request. */
    ChangeDecided decideAndOpen(Event verdict) {
        ChangeDecided decided = gate.decide(verdict).orElseThrow();
        if (decided.decision() != ChangeDecided.Decision.AWAITING_APPROVAL) {
            throw new AssertionError("expected awaiting-approval, got " + decided);
        }
        return service.open(verdict, verdict.dataAs(ChangeVerified.class), decided);
    }

    List<ApprovalRecorded> recorded(ApprovalRecorded.Action action) {
        return sent.stream()
                .filter(e -> e.data() instanceof ApprovalRecorded)
                .map(e -> e.dataAs(ApprovalRecorded.class))
                .filter(r -> r.action() == action)
                .toList();
    }
}
