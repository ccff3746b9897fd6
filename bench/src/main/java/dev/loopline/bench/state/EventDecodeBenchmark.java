package dev.loopline.bench.state;

import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.InvalidEventException;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link EventCodec#decode} of the two events {@code state-load.sh} feeds the run log: a {@code tick.triggered}
 * carrying its loop spec, and a {@code tick.completed}. Every consumer decodes (and validates) every event it
 * reads, so this is the per-event CPU floor of ingestion.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EventDecodeBenchmark {

    private String triggered;
    private String completed;

    @Setup
    public void setUp() {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        String tick = "bench-" + UUID.nameUUIDFromBytes(new byte[] {1});
        triggered = EventCodec.encode(Event.of(
                "bench",
                now,
                "bench-loop-1",
                tick,
                "bench",
                0,
                new TickTriggered(
                        TickTriggered.Trigger.cadence(now), StateLoad.SPEC_SHA, StateLoad.spec("bench-loop-1"))));
        completed = EventCodec.encode(Event.of(
                "bench",
                now.plusSeconds(1),
                "bench-loop-1",
                tick,
                "bench",
                1,
                new TickCompleted(TickCompleted.Outcome.NO_OP, 100, 1, "nothing to do", null, null)));
    }

    @Benchmark
    public Event decodeTickTriggered() throws InvalidEventException {
        return EventCodec.decode(triggered);
    }

    @Benchmark
    public Event decodeTickCompleted() throws InvalidEventException {
        return EventCodec.decode(completed);
    }
}
