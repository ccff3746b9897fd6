package dev.loopline.dashboard.rest;

import dev.loopline.dashboard.session.Session;
import dev.loopline.dashboard.stream.LiveTicks;
import dev.loopline.support.rest.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * Live run events for the page, as server-sent events: {@code event: tick}, {@code id} = state-service's sequence
 * number, {@code data} = {@code {tick, event}} as state-service streams it; {@code event: reset} when the browser
 * missed more than the dashboard kept (it reloads its list). Resumable with {@code Last-Event-ID}, which browsers send
 * on their own when they reconnect.
 */
@Path("/api/v1/stream")
public class StreamResource {

    @Inject
    LiveTicks live;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(
            @Context SseEventSink sink,
            @Context Sse sse,
            @Context ContainerRequestContext request,
            @HeaderParam("Last-Event-ID") String lastEventId) {
        Long after = parse(lastEventId);
        Session session = SessionFilters.session(request);
        // a first comment commits the response, so the browser knows it is subscribed
        sink.send(sse.newEventBuilder().comment("subscribed").build());
        live.subscribe(new SinkListener(session, sink, sse, live), after);
    }

    private static Long parse(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(lastEventId.strip());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new WebApplicationException(
                Problem.of(Response.Status.BAD_REQUEST, "Last-Event-ID must be the id of an event of this stream")
                        .toResponse());
    }

    private record SinkListener(Session session, SseEventSink sink, Sse sse, LiveTicks live)
            implements LiveTicks.Listener {

        @Override
        public boolean send(LiveTicks.Event event) {
            if (sink.isClosed()) {
                return false;
            }
            sink.send(sse.newEventBuilder()
                            .id(Long.toString(event.id()))
                            .name("tick")
                            .data(String.class, event.data())
                            .build())
                    .exceptionally(failure -> {
                        live.unsubscribe(this);
                        sink.close();
                        return null;
                    });
            return true;
        }

        @Override
        public void reset() {
            if (!sink.isClosed()) {
                sink.send(sse.newEventBuilder()
                        .name("reset")
                        .data("missed events")
                        .build());
            }
        }

        @Override
        public void close() {
            if (!sink.isClosed()) {
                sink.close();
            }
        }
    }
}
