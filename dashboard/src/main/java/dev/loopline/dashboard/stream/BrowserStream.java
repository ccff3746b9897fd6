package dev.loopline.dashboard.stream;

import dev.loopline.dashboard.session.Session;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * One browser's live stream, written straight to its HTTP response. Events arrive already encoded ({@link
 * LiveTicks.Event#frame()}), so fifty browsers cost fifty copies of the same bytes, not fifty encodings; the events of
 * a burst that arrive while a write is pending, or while the connection drains, go out in one write. A browser that
 * falls {@link #MAX_PENDING_BYTES} behind is disconnected: its {@code EventSource} reconnects with {@code
 * Last-Event-ID} and resumes from the dashboard's replay buffer, or is told to reload. So one slow reader can hold
 * neither unbounded memory nor the other browsers' events.
 */
final class BrowserStream implements LiveTicks.Listener {

    static final int MAX_PENDING_BYTES = 1 << 20;
    private static final byte[] RESET = "event: reset\ndata: missed events\n\n".getBytes(StandardCharsets.UTF_8);

    private final Session session;
    private final HttpServerResponse response;
    private final Context context;
    private final Object lock = new Object();
    /** Frames not written yet, and whether a flush is scheduled on the response's context (it is when non-null). */
    private Buffer pending;

    private boolean closed;

    BrowserStream(Session session, HttpServerResponse response, Context context) {
        this.session = session;
        this.response = response;
        this.context = context;
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public boolean send(LiveTicks.Event event) {
        return enqueue(event.frame());
    }

    @Override
    public void reset() {
        enqueue(RESET);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            pending = null;
        }
        context.runOnContext(v -> {
            if (!response.ended() && !response.closed()) {
                response.end();
            }
        });
    }

    /** The browser went away: nothing more is written. */
    void gone() {
        synchronized (lock) {
            closed = true;
            pending = null;
        }
    }

    private boolean enqueue(byte[] frame) {
        boolean schedule = false;
        boolean tooFarBehind = false;
        synchronized (lock) {
            if (closed) {
                return false;
            }
            if (pending == null) {
                pending = Buffer.buffer(frame.length);
                schedule = true;
            } else if (pending.length() + frame.length > MAX_PENDING_BYTES) {
                tooFarBehind = true;
            }
            if (!tooFarBehind) {
                pending.appendBytes(frame);
            }
        }
        if (tooFarBehind) {
            // dropped: the browser reconnects and resumes from the replay buffer, or is told to reload
            close();
            return false;
        }
        if (schedule) {
            context.runOnContext(v -> flush());
        }
        return true;
    }

    /** On the response's context: writes what is pending, or waits for the connection to drain first. */
    private void flush() {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.writeQueueFull()) {
            // the browser reads slower than events come: they gather in pending (bounded) until it catches up
            response.drainHandler(v -> flush());
            return;
        }
        Buffer out;
        synchronized (lock) {
            out = pending;
            pending = null;
        }
        if (out != null) {
            response.write(out);
        }
    }
}
