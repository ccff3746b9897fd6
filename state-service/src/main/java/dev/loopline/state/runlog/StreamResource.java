package dev.loopline.state.runlog;

import dev.loopline.core.auth.Permission;
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
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Server-sent events of newly recorded run events: {@code id} = the run log sequence number, {@code event} = the
 * event type, {@code data} = {@link StreamData} as JSON ({@code {tick, event}}). A client that reconnects with
 * {@code Last-Event-ID} first gets every event after that id, then the live ones.
 */
@Path("/api/v1/stream")
@Allowed(Permission.READ)
public class StreamResource {

    /** A client that cannot take a batch of events in this long is dropped (it may reconnect with Last-Event-ID). */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    RunEventStream stream;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Live run events as server-sent events; resumable with Last-Event-ID")
    public void subscribe(
            @Context SseEventSink sink, @Context Sse sse, @HeaderParam("Last-Event-ID") String lastEventId) {
        long after = lastEventId == null || lastEventId.isBlank() ? stream.watermark() : parse(lastEventId);
        // a first comment commits the response, so the client knows it is subscribed
        sink.send(sse.newEventBuilder().comment("subscribed").build());
        stream.subscribe(events -> send(sink, sse, events), after);
    }

    /**
     * Queues the whole batch on the connection, then waits for the writes: one wait per batch instead of one per
     * event. False when the client has gone, or could not take the batch within {@link #SEND_TIMEOUT}.
     */
    private static boolean send(SseEventSink sink, Sse sse, List<StreamEvent> events) {
        CompletableFuture<?>[] writes = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < writes.length; i++) {
            if (sink.isClosed()) {
                return false;
            }
            StreamEvent event = events.get(i);
            writes[i] = sink.send(sse.newEventBuilder()
                            .id(Long.toString(event.seq()))
                            .name(event.type())
                            .data(String.class, event.data())
                            .build())
                    .toCompletableFuture();
        }
        try {
            CompletableFuture.allOf(writes).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            sink.close();
            return false;
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
