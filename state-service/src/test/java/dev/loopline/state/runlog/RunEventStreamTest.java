package dev.loopline.state.runlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.json.Json;
import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
import dev.loopline.state.runlog.RunEventStream.StreamEvent;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The live stream: newly recorded run events as server-sent events, resumable with Last-Event-ID. */
@QuarkusTest
class RunEventStreamTest {

    @TestHTTPResource("/api/v1/stream")
    URI streamUri;

    @Inject
    RunEventStream stream;

    /** One received server-sent event. */
    record Received(long id, String type, JsonNode data) {}

    @Test
    void streamsNewEventsAndResumesAfterLastEventId() throws Exception {
        String loop = TickEvents.newLoopId();
        String tickId = TickEvents.newTickId();
        List<Event> events =
                TickEvents.mergedTick(loop, "platform", tickId, Instant.now().truncatedTo(ChronoUnit.MILLIS));

        List<Received> first;
        try (Connection live = Connection.open(streamUri, null)) {
            TestKafka.send(events);
            first = live.await(tickId, 5);
        }
        assertThat(first)
                .extracting(Received::type)
                .containsExactlyInAnyOrder(events.stream().map(Event::type).toArray(String[]::new));
        assertThat(first).extracting(Received::id).isSorted().doesNotHaveDuplicates();
        Received last = first.get(4);
        assertThat(last.data().at("/event/tickId").asText()).isEqualTo(tickId);
        assertThat(last.data().at("/event/seq").asLong()).isEqualTo(last.id());
        assertThat(last.data().at("/tick/tickId").asText()).isEqualTo(tickId);
        assertThat(last.data().at("/tick/loopId").asText()).isEqualTo(loop);
        assertThat(first.stream().filter(r -> r.type().equals("loopline.tick.completed")))
                .singleElement()
                .satisfies(r ->
                        assertThat(r.data().at("/event/data/outcome").asText()).isEqualTo("merged"));

        long resumeAfter = first.get(1).id();
        String nextTick = TickEvents.newTickId();
        try (Connection resumed = Connection.open(streamUri, resumeAfter)) {
            // the replay: exactly the events after the given id
            List<Received> replayed = resumed.await(tickId, 3);
            assertThat(replayed)
                    .extracting(Received::id)
                    .containsExactlyElementsOf(
                            first.subList(2, 5).stream().map(Received::id).toList());
            assertThat(resumed.all()).allSatisfy(r -> assertThat(r.id()).isGreaterThan(resumeAfter));
            // then live
            TestKafka.send(TickEvents.mergedTick(loop, "platform", nextTick, Instant.now()));
            assertThat(resumed.await(nextTick, 5)).extracting(Received::id).allSatisfy(id -> assertThat(id)
                    .isGreaterThan(last.id()));
        }
    }

    @Test
    void subscribersThatLeftOrFailedAreDroppedWhileOthersAtTheirCursorGoOn() throws Exception {
        String loop = TickEvents.newLoopId();
        String tickId = TickEvents.newTickId();
        long after = stream.watermark();
        BlockingQueue<StreamEvent> staying = new LinkedBlockingQueue<>();
        AtomicInteger leftCalls = new AtomicInteger();
        stream.subscribe(
                events -> {
                    leftCalls.incrementAndGet();
                    return false;
                },
                after);
        AtomicInteger failedCalls = new AtomicInteger();
        stream.subscribe(
                events -> {
                    failedCalls.incrementAndGet();
                    throw new IllegalStateException("a subscriber's own failure");
                },
                after);
        stream.subscribe(staying::addAll, after);

        TestKafka.send(TickEvents.mergedTick(loop, "platform", tickId, Instant.now()));
        List<StreamEvent> ours = new ArrayList<>();
        long deadline = System.nanoTime() + StateApi.TIMEOUT.toNanos();
        while (ours.size() < 5) {
            StreamEvent next = staying.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(next).as("event %d of 5 for %s", ours.size() + 1, tickId).isNotNull();
            if (Json.mapper().readTree(next.data()).at("/event/tickId").asText().equals(tickId)) {
                ours.add(next);
            }
        }
        assertThat(ours).extracting(StreamEvent::seq).isSorted().doesNotHaveDuplicates();
        assertThat(ours).allSatisfy(e -> {
            JsonNode data = Json.mapper().readTree(e.data());
            assertThat(data.at("/event/seq").asLong()).isEqualTo(e.seq());
            assertThat(data.at("/event/type").asText()).isEqualTo(e.type());
            assertThat(data.at("/event/data").isObject()).isTrue();
            assertThat(data.at("/tick/loopId").asText()).isEqualTo(loop);
        });
        // the one that said it was gone, and the one that failed, were offered the first batch only
        assertThat(leftCalls).hasValue(1);
        assertThat(failedCalls).hasValue(1);
    }

    @Test
    void streamNeedsAToken() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(streamUri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }

    /** A stream connection whose events are collected by a background reader. */
    static final class Connection implements AutoCloseable {

        private final List<Received> seen = new ArrayList<>();
        private final BlockingQueue<Received> queue;
        private final Stream<String> lines;
        private final Thread reader;

        private Connection(BlockingQueue<Received> queue, Stream<String> lines, Thread reader) {
            this.queue = queue;
            this.lines = lines;
            this.reader = reader;
        }

        static Connection open(URI uri, Long lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + StateApi.TOKEN)
                    .header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", Long.toString(lastEventId));
            }
            HttpResponse<Stream<String>> response =
                    HttpClient.newHttpClient().send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
            Stream<String> lines = response.body();
            Thread reader = new Thread(() -> parse(lines, queue), "sse-reader");
            reader.setDaemon(true);
            reader.start();
            return new Connection(queue, lines, reader);
        }

        private static void parse(Stream<String> lines, BlockingQueue<Received> queue) {
            Map<String, String> fields = new HashMap<>();
            try {
                lines.forEach(line -> {
                    if (line.isEmpty()) {
                        if (fields.containsKey("id")) {
                            try {
                                queue.add(new Received(
                                        Long.parseLong(fields.get("id")),
                                        fields.get("event"),
                                        Json.mapper().readTree(fields.get("data"))));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                        fields.clear();
                    } else if (!line.startsWith(":")) {
                        int colon = line.indexOf(':');
                        String name = colon < 0 ? line : line.substring(0, colon);
                        String value =
                                colon < 0 ? "" : line.substring(colon + 1).stripLeading();
                        fields.merge(name, value, (a, b) -> a + "\n" + b);
                    }
                });
            } catch (RuntimeException e) {
                // connection closed
            }
        }

        /** Waits until {@code count} events of {@code tickId} arrived; returns them in arrival order. */
        List<Received> await(String tickId, int count) throws InterruptedException {
            long deadline = System.nanoTime() + StateApi.TIMEOUT.toNanos();
            List<Received> ours = new ArrayList<>();
            seen.stream().filter(r -> isOf(r, tickId)).forEach(ours::add);
            while (ours.size() < count) {
                Received next = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(next)
                        .as("event %d of %d for %s", ours.size() + 1, count, tickId)
                        .isNotNull();
                seen.add(next);
                if (isOf(next, tickId)) {
                    ours.add(next);
                }
            }
            return ours;
        }

        List<Received> all() {
            queue.drainTo(seen);
            return List.copyOf(seen);
        }

        private static boolean isOf(Received r, String tickId) {
            return tickId.equals(r.data().at("/event/tickId").asText());
        }

        @Override
        public void close() {
            lines.close();
            reader.interrupt();
        }
    }
}
