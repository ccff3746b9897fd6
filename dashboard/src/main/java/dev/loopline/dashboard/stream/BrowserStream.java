package dev.loopline.dashboard.stream;

import dev.loopline.dashboard.session.Session;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One browser's live stream, written straight to its HTTP response. Events arrive already encoded ({@link
 * LiveTicks.Event#frame()}), so fifty browsers cost fifty copies of the same bytes, not fifty encodings. The first
 * event after a quiet spell is written after the flush interval at most, and the events that arrive meanwhile, or
 * while the connection drains, go out in the same write: during a burst a browser costs one write per interval, not
 * one per event, however fast the run log grows. A browser that falls {@link #MAX_PENDING_BYTES} behind is
 * disconnected: its {@code EventSource} reconnects with {@code Last-Event-ID} and resumes from the dashboard's replay
 * buffer, or is told to reload. So one slow reader can hold neither unbounded memory nor the other browsers' events.
 */
final class BrowserStream implements LiveTicks.Listener {

    static final int MAX_PENDING_BYTES = 1 << 20;
    private static final byte[] RESET = "event: reset\ndata: missed events\n\n".getBytes(StandardCharsets.UTF_8);

    private final Session session;
    private final HttpServerResponse response;
    private final Context context;
    private final long flushDelayMillis;
    private final Object lock = new Object();
    /** Frames not written yet, and whether a flush is scheduled on the response's context (it is when non-null). */
    private List<byte[]> pending;

    private int pendingBytes;

    private boolean closed;

    /**
     * @param flushInterval how long an event may wait for others to share its write; zero writes each as soon as the
     *     event loop gets to it
     */
    BrowserStream(Session session, HttpServerResponse response, Context context, Duration flushInterval) {
        this.session = session;
        this.response = response;
        this.context = context;
        this.flushDelayMillis = flushInterval.toMillis();
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
        gone();
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
                pending = new ArrayList<>();
                pendingBytes = 0;
                schedule = true;
            } else if (pendingBytes + frame.length > MAX_PENDING_BYTES) {
                tooFarBehind = true;
            }
            if (!tooFarBehind) {
                pending.add(frame);
                pendingBytes += frame.length;
            }
        }
        if (tooFarBehind) {
            // dropped: the browser reconnects and resumes from the replay buffer, or is told to reload
            close();
            return false;
        }
        if (schedule) {
            context.runOnContext(v -> {
                if (flushDelayMillis > 0) {
                    context.owner().setTimer(flushDelayMillis, t -> flush());
                } else {
                    flush();
                }
            });
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
        List<byte[]> frames;
        synchronized (lock) {
            frames = pending;
            pending = null;
        }
        if (frames != null) {
            // the frames are shared by every browser and never change: wrapped, not copied
            response.write(Buffer.buffer(Unpooled.wrappedBuffer(frames.toArray(byte[][]::new))));
        }
    }
}
