package dev.loopline.dashboard.stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.dashboard.client.Upstream;
import dev.loopline.dashboard.config.DashboardConfig;
import dev.loopline.dashboard.session.Session;
import dev.loopline.dashboard.session.SessionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One subscription to state-service's live run events for every open dashboard, fanned out to each browser (ADR
 * 0021): fifty open dashboards cost state-service one stream, not fifty.
 *
 * <p>The upstream stream is opened with the token of one of the listening users (every role may read every tick, so
 * no listener sees more than its own token would show it), and re-opened with another listener's token when that
 * user signs out or the token stops working. Each event goes only to listeners whose session is live; a listener's
 * token is asked about again every revalidate interval. The last events are kept so a browser that reconnects with
 * {@code Last-Event-ID} gets what it missed; one that missed more than the buffer holds is told to {@code reset}
 * (reload its list from the paged API).
 */
@ApplicationScoped
public class LiveTicks {

    private static final Logger LOG = Logger.getLogger(LiveTicks.class);

    /**
     * One run event as state-service streamed it: its sequence number and its JSON data, and {@code frame}, the event
     * as a browser receives it ({@code id}, {@code event: tick}, {@code data}), encoded once for every browser.
     */
    public record Event(long id, String data, byte[] frame) {

        public Event(long id, String data) {
            this(id, data, frame(id, data));
        }

        private static byte[] frame(long id, String data) {
            StringBuilder sse = new StringBuilder(data.length() + 40)
                    .append("id: ")
                    .append(id)
                    .append("\nevent: tick\n");
            // a line break inside the data would end the field: every line is a data line of its own
            sse.append("data: ");
            for (int i = 0; i < data.length(); i++) {
                char c = data.charAt(i);
                if (c == '\r' || c == '\n') {
                    if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                        i++;
                    }
                    sse.append("\ndata: ");
                } else {
                    sse.append(c);
                }
            }
            return sse.append("\n\n").toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A browser listening. */
    public interface Listener {
        Session session();

        /** @return false when the browser is gone */
        boolean send(Event event);

        /** Tells the browser it missed events this hub no longer has. */
        void reset();

        void close();
    }

    @Inject
    Upstream upstream;

    @Inject
    SessionStore sessions;

    @Inject
    DashboardConfig config;

    @Inject
    ObjectMapper json;

    private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
    private final Deque<Event> buffer = new ArrayDeque<>();
    /** Every event after this id is in the buffer (or has not happened); null until known. */
    private Long floor;
    /** The newest event received, where a reconnect resumes. */
    private Long last;

    private Thread reader;

    /** Adds a listener; with {@code lastEventId}, first hands it what it missed since then. */
    public synchronized void subscribe(Listener listener, Long lastEventId) {
        if (lastEventId != null) {
            if (reader == null && buffer.isEmpty() && last == null) {
                // nothing streamed yet: the upstream stream starts where this browser left off
                floor = lastEventId;
                last = lastEventId;
            } else if (floor != null && lastEventId >= floor) {
                for (Event e : buffer) {
                    if (e.id() > lastEventId && !listener.send(e)) {
                        return;
                    }
                }
            } else {
                listener.reset();
            }
        }
        listeners.add(listener);
        if (reader == null) {
            reader = new Thread(this::run, "dashboard-live-ticks");
            reader.setDaemon(true);
            reader.start();
        }
    }

    public void unsubscribe(Listener listener) {
        listeners.remove(listener);
    }

    public int listenerCount() {
        return listeners.size();
    }

    private void run() {
        try {
            while (true) {
                Session session = pickSession();
                if (session == null) {
                    return;
                }
                readUpstream(session);
            }
        } finally {
            synchronized (this) {
                reader = null;
                if (!listeners.isEmpty()) {
                    // a listener arrived while this reader was leaving
                    reader = new Thread(this::run, "dashboard-live-ticks");
                    reader.setDaemon(true);
                    reader.start();
                }
            }
        }
    }

    /** A live session of a listener whose token still works; null (and the reader stops) when nobody listens. */
    private Session pickSession() {
        for (Listener listener : List.copyOf(listeners)) {
            if (sessions.revalidate(listener.session())) {
                return listener.session();
            }
            drop(listener);
        }
        return null;
    }

    private void readUpstream(Session session) {
        Long resumeAfter;
        synchronized (this) {
            resumeAfter = last;
        }
        try (Stream<String> lines = open(session, resumeAfter)) {
            if (lines == null) {
                return;
            }
            Iterator<String> it = lines.iterator();
            Long id = null;
            StringBuilder data = new StringBuilder();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (id != null && data.length() > 0) {
                        dispatch(new Event(id, forPage(data.toString())));
                    }
                    id = null;
                    data.setLength(0);
                    if (listeners.isEmpty() || !sessions.live(session)) {
                        return;
                    }
                } else if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).strip());
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    "live events from state-service broke off (%s); reconnecting",
                    e.getClass().getSimpleName());
            pause();
        }
    }

    private Stream<String> open(Session session, Long resumeAfter) {
        HttpResponse<Stream<String>> response;
        try {
            response = upstream.stream(session.token(), resumeAfter);
        } catch (IOException | Upstream.Unavailable e) {
            LOG.warnf("cannot open state-service's live events (%s); retrying", e.getMessage());
            pause();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            response.body().close();
            sessions.end(session);
            return null;
        }
        if (response.statusCode() != 200) {
            response.body().close();
            LOG.warnf("state-service answered %d to the live events; retrying", response.statusCode());
            pause();
            return null;
        }
        synchronized (this) {
            if (floor == null) {
                // a fresh stream starts at state-service's watermark: the events before it are not ours to replay
                floor = Long.MAX_VALUE;
            }
        }
        return response.body();
    }

    /**
     * An event as the page uses it: the tick's row ({@code tick}) and the event's envelope ({@code event}: type, time,
     * ids), without the event's payload ({@code event.data}: a spec, a diff, test output), which the page never reads
     * from the stream; it loads a tick's detail when it opens the tick. The payload is most of an event's bytes, and
     * every open dashboard is sent every event. As one line of JSON; data that is not JSON passes unchanged.
     */
    String forPage(String data) {
        StringWriter out = new StringWriter(data.length());
        try (JsonParser in = json.getFactory().createParser(data);
                JsonGenerator page = json.getFactory().createGenerator(out)) {
            // token by token: the payload is skipped, never built into a tree and written back
            if (in.nextToken() == JsonToken.START_OBJECT) {
                page.writeStartObject();
                while (in.nextToken() == JsonToken.FIELD_NAME) {
                    String field = in.currentName();
                    page.writeFieldName(field);
                    if (in.nextToken() == JsonToken.START_OBJECT && field.equals("event")) {
                        copyWithout(in, page, "data");
                    } else {
                        page.copyCurrentStructure(in);
                    }
                }
                page.writeEndObject();
            } else {
                page.copyCurrentStructure(in);
            }
            if (in.nextToken() != null) {
                return data;
            }
        } catch (IOException e) {
            // not exactly one JSON value (or none at all)
            return data;
        }
        return out.toString();
    }

    /** Copies the object the parser is at, without its field {@code left}; the parser ends at the object's end. */
    private static void copyWithout(JsonParser in, JsonGenerator out, String left) throws IOException {
        out.writeStartObject();
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String field = in.currentName();
            in.nextToken();
            if (field.equals(left)) {
                in.skipChildren();
            } else {
                out.writeFieldName(field);
                out.copyCurrentStructure(in);
            }
        }
        out.writeEndObject();
    }

    private void dispatch(Event event) {
        synchronized (this) {
            if (last != null && event.id() <= last) {
                return;
            }
            buffer.addLast(event);
            if (floor == Long.MAX_VALUE) {
                floor = event.id() - 1;
            }
            while (buffer.size() > config.stream().replayBuffer()) {
                floor = buffer.removeFirst().id();
            }
            last = event.id();
        }
        // the set's iterator is weakly consistent: a listener dropped meanwhile is skipped, no copy per event needed
        for (Listener listener : listeners) {
            if (!sessions.revalidate(listener.session()) || !listener.send(event)) {
                drop(listener);
            }
        }
    }

    private void drop(Listener listener) {
        listeners.remove(listener);
        listener.close();
    }

    private void pause() {
        try {
            Thread.sleep(config.stream().reconnectDelay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
