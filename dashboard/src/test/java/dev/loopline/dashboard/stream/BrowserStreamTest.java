package dev.loopline.dashboard.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One browser's stream on a real Vert.x server and real sockets: whole and in order, and bounded for a slow reader. */
class BrowserStreamTest {

    private Vertx vertx;
    private HttpServer server;
    private final CompletableFuture<BrowserStream> browser = new CompletableFuture<>();
    /** The flush interval of the next stream: the dashboard's default unless a test sets another. */
    private volatile Duration flushInterval = Duration.ofMillis(50);

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(request -> {
                    request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
                    request.response().write(":subscribed\n\n");
                    browser.complete(
                            new BrowserStream(null, request.response(), vertx.getOrCreateContext(), flushInterval));
                })
                .listen(0)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBurstArrivesWholeAndInOrderWithEveryLineOfAnEvent() throws Exception {
        try (Socket socket = connect()) {
            BrowserStream stream = browser.get(10, TimeUnit.SECONDS);
            for (int i = 1; i <= 2_000; i++) {
                assertThat(stream.send(new LiveTicks.Event(i, "{\"n\":" + i + "}")))
                        .isTrue();
            }
            assertThat(stream.send(new LiveTicks.Event(2_001, "first line\nsecond line")))
                    .isTrue();

            List<String> ids = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            socket.setSoTimeout(10_000);
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
                if (line.startsWith("id: ")) {
                    ids.add(line.substring(4));
                }
                if (line.equals("data: second line")) {
                    lines.add(reader.readLine());
                    break;
                }
            }
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 2_001; i++) {
                expected.add(Integer.toString(i));
            }
            assertThat(ids).containsExactlyElementsOf(expected);
            assertThat(lines)
                    .containsSubsequence("id: 2001", "event: tick", "data: first line", "data: second line", "");
        }
    }

    @Test
    void aBrowserThatStopsReadingIsDisconnectedOnceItFallsTooFarBehind() throws Exception {
        try (Socket socket = connect()) {
            BrowserStream stream = browser.get(10, TimeUnit.SECONDS);
            String kilobyte = "x".repeat(1_024);
            int sent = 0;
            // the socket's buffers may take some first (how much depends on the machine and on when the event loop
            // gets to write); then events gather in the stream, up to its bound
            while (sent < 100_000 && stream.send(new LiveTicks.Event(sent + 1, kilobyte))) {
                sent++;
                if (sent % 500 == 0) {
                    Thread.sleep(20); // let the event loop write and find the connection full
                }
            }
            // each event's frame is the kilobyte plus its id, event and data lines: under 64 bytes more
            int boundInEvents = BrowserStream.MAX_PENDING_BYTES / (kilobyte.length() + 64);
            assertThat(sent)
                    .as("events accepted before the browser was dropped: at least the stream's bound, never all")
                    .isBetween(boundInEvents, 99_999);
            assertThat(stream.send(new LiveTicks.Event(sent + 2, "after"))).isFalse();

            // what was written reaches the browser, then the dashboard ends the response
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[1 << 16];
            long read = 0;
            socket.setSoTimeout(10_000);
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                read += n;
            }
            assertThat(read).as("bytes the browser got before the end").isPositive();
        }
    }

    @Test
    void eventsThatArriveWithinTheFlushIntervalShareOneWrite() throws Exception {
        flushInterval = Duration.ofSeconds(1);
        assertThat(writesOfTenEventsTenMillisecondsApart())
                .as("writes (HTTP chunks) holding the ten events, with a one-second flush interval")
                .isLessThanOrEqualTo(2);
    }

    @Test
    void withoutAFlushIntervalEventsApartAreWrittenApart() throws Exception {
        flushInterval = Duration.ZERO;
        assertThat(writesOfTenEventsTenMillisecondsApart())
                .as("writes (HTTP chunks) holding the ten events, with no flush interval")
                .isGreaterThan(2);
    }

    /** Sends ten events 10 ms apart and reads the response's chunks until the last: how many chunks held events. */
    private int writesOfTenEventsTenMillisecondsApart() throws Exception {
        try (Socket socket = connect()) {
            BrowserStream stream = browser.get(10, TimeUnit.SECONDS);
            for (int i = 1; i <= 10; i++) {
                assertThat(stream.send(new LiveTicks.Event(i, "{\"n\":" + i + "}")))
                        .isTrue();
                Thread.sleep(10);
            }
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            String head = readLine(in);
            assertThat(head).startsWith("HTTP/1.1 200");
            while (!readLine(in).isEmpty()) {
                // response headers
            }
            List<String> ids = new ArrayList<>();
            int writes = 0;
            while (ids.size() < 10) {
                int size = Integer.parseInt(readLine(in).strip(), 16);
                String chunk = new String(in.readNBytes(size), StandardCharsets.UTF_8);
                readLine(in); // the CRLF after the chunk
                List<String> inChunk = chunk.lines()
                        .filter(line -> line.startsWith("id: "))
                        .map(line -> line.substring(4))
                        .toList();
                if (!inChunk.isEmpty()) {
                    writes++;
                    ids.addAll(inChunk);
                }
            }
            assertThat(ids).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
            return writes;
        }
    }

    /** One CRLF-ended line of the raw HTTP response, without its CRLF. */
    private static String readLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            assertThat(b).as("the response ended mid-line").isNotNegative();
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket("127.0.0.1", server.actualPort());
        socket.setReceiveBufferSize(64 * 1_024);
        OutputStream out = socket.getOutputStream();
        out.write("GET /api/v1/stream HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        await().atMost(Duration.ofSeconds(10)).until(browser::isDone);
        return socket;
    }
}
