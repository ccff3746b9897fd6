package dev.loopline.state.runlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.core.auth.Permission;
import dev.loopline.schemas.json.Json;
import dev.loopline.state.common.ApiException;
import dev.loopline.state.runlog.RunEventStream.StreamEvent;
import dev.loopline.support.rest.Allowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Server-sent events of newly recorded run events: {@code id} = the run log sequence number, {@code event} = the
 * event type, {@code data} = {@code {tick, event}}. A client that reconnects with {@code Last-Event-ID} first gets
 * every event after that id, then the live ones.
 */
@Path("/api/v1/stream")
@Allowed(Permission.READ)
public class StreamResource {

    /** A client that cannot take an event in this long is dropped (it may reconnect with Last-Event-ID). */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    RunEventStream stream;

    /** {@code data} of a stream event. */
    public record StreamData(TickView tick, EventView event) {}

    public record EventView(
            long seq,
            UUID id,
            String type,
            Instant time,
            String loopId,
            String tickId,
            String team,
            int attempt,
            String source,
            JsonNode data) {}

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Live run events as server-sent events; resumable with Last-Event-ID")
    public void subscribe(
            @Context SseEventSink sink, @Context Sse sse, @HeaderParam("Last-Event-ID") String lastEventId) {
        long after = lastEventId == null || lastEventId.isBlank() ? stream.watermark() : parse(lastEventId);
        // a first comment commits the response, so the client knows it is subscribed
        sink.send(sse.newEventBuilder().comment("subscribed").build());
        stream.subscribe(event -> send(sink, sse, event), after);
    }

    private static boolean send(SseEventSink sink, Sse sse, StreamEvent event) {
        if (sink.isClosed()) {
            return false;
        }
        OutboundSseEvent sseEvent = sse.newEventBuilder()
                .id(Long.toString(event.seq()))
                .name(event.event().type)
                .data(String.class, json(event))
                .build();
        try {
            sink.send(sseEvent).toCompletableFuture().get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            sink.close();
            return false;
        }
    }

    private static String json(StreamEvent event) {
        RunEventEntity e = event.event();
        try {
            return Json.mapper()
                    .writeValueAsString(new StreamData(
                            event.tick() == null ? null : TickView.of(event.tick()),
                            new EventView(
                                    e.seq,
                                    e.id,
                                    e.type,
                                    e.time,
                                    e.loopId,
                                    e.tickId,
                                    e.team,
                                    e.attempt,
                                    e.source,
                                    Json.mapper().readTree(e.payload))));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot render run event " + e.id, ex);
        }
    }

    private static long parse(String lastEventId) {
        try {
            long id = Long.parseLong(lastEventId.strip());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter("Last-Event-ID", "must be the id of a stream event");
        }
    }
}
