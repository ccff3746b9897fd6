package dev.loopline.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loopline.makers.claude.HookReply;
import dev.loopline.makers.claude.HookSession;
import dev.loopline.makers.claude.HookSessions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The resident end of the claude-code hook script for {@code loopline run} (ADR 0023): what agent-service's
 * {@code ToolHookRoute} is on the stack, here a JDK HTTP server on the loopback interface at a random port, started
 * for one maker run and closed after it. It answers with module makers' {@link HookReply} from the run's
 * {@link HookSessions}: one copy of the rules. Each session's URL carries its random token, the run's secret; an
 * unknown token gets {@code 404}, and once the server is closed nothing answers: the script blocks the call either
 * way (it fails closed).
 */
final class LocalHookServer implements AutoCloseable {

    static final String PATH = "/api/v1/hooks/";

    /** Larger than any tool call the diff limit lets through, as agent-service's route. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private final HookSessions sessions;
    private final HttpServer server;
    private final ExecutorService threads;

    private LocalHookServer(HookSessions sessions, HttpServer server, ExecutorService threads) {
        this.sessions = sessions;
        this.server = server;
        this.threads = threads;
    }

    /** Starts the server for {@code sessions}. */
    static LocalHookServer start(HookSessions sessions) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the claude-code hook server on 127.0.0.1", e);
        }
        // the CLI may run tool calls, and so their hooks, in parallel
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loopline-hook");
            t.setDaemon(true);
            return t;
        });
        LocalHookServer hooks = new LocalHookServer(sessions, server, threads);
        server.createContext(PATH, hooks::handle);
        server.setExecutor(threads);
        server.start();
        return hooks;
    }

    /** The URL the hook script of the session with {@code token} posts to. */
    URI forSession(String token) {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + PATH + token);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String token = exchange.getRequestURI().getPath().substring(PATH.length());
            Optional<HookSession> session = "POST".equals(exchange.getRequestMethod())
                            && exchange.getRemoteAddress().getAddress().isLoopbackAddress()
                    ? sessions.find(token)
                    : Optional.empty();
            byte[] body = session.isEmpty() ? new byte[0] : body(exchange.getRequestBody());
            HookReply reply = body == null ? new HookReply(413, "") : HookReply.to(session, body);
            if (reply.status() == 200) {
                byte[] text = reply.text().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(200, text.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(text);
                }
            } else {
                exchange.sendResponseHeaders(reply.status(), -1);
            }
        }
    }

    /** The request body; null when it is larger than {@link #MAX_BODY_BYTES} (the script then blocks the call). */
    private static byte[] body(InputStream in) throws IOException {
        byte[] read = in.readNBytes(MAX_BODY_BYTES + 1);
        return read.length > MAX_BODY_BYTES ? null : read;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
