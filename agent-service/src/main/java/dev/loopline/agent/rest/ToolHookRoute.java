package dev.loopline.agent.rest;

import dev.loopline.agent.service.hook.HookAnswer;
import dev.loopline.agent.service.hook.HookCall;
import dev.loopline.agent.service.hook.HookEndpoint;
import dev.loopline.agent.service.hook.HookSession;
import dev.loopline.agent.service.hook.HookSessions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /api/v1/hooks/{token}}: the resident end of the claude-code maker's hook script. The body is the
 * hook's JSON as the CLI wrote it; the answer is {@code 204} (let the call be) or {@code 200} with a plain-text
 * message (block the call, or tell Claude something after it). The hook turns anything else into a block.
 *
 * <p>Only the CLI on this host calls it: requests from elsewhere and unknown tokens get {@code 404}, the same
 * answer, so the endpoint says nothing about which tokens exist. A token lives only while its run does. A plain
 * Vert.x route rather than a REST resource: it is on the path of every tool call, and the agent has no REST API
 * otherwise.
 */
@ApplicationScoped
public class ToolHookRoute {

    /** Larger than any tool call the diff limit lets through (a Write of a whole file, a fetched page). */
    static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

    @Inject
    HookSessions sessions;

    void install(@Observes Router router) {
        router.post(HookEndpoint.PATH + ":token")
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .blockingHandler(this::handle, false);
    }

    private void handle(RoutingContext context) {
        Optional<HookSession> session =
                fromThisHost(context) ? sessions.find(context.pathParam("token")) : Optional.empty();
        if (session.isEmpty()) {
            context.response().setStatusCode(404).end();
            return;
        }
        HookAnswer answer;
        try {
            answer = session.get().answer(HookCall.parse(context.body().buffer().getBytes()));
        } catch (IOException | RuntimeException e) {
            answer = session.get().unreadable("the hook call could not be read: " + e.getMessage());
        }
        if (answer instanceof HookAnswer.Block block) {
            text(context, block.message());
        } else if (answer instanceof HookAnswer.Notice notice) {
            text(context, notice.message());
        } else {
            context.response().setStatusCode(204).end();
        }
    }

    private static void text(RoutingContext context, String message) {
        context.response()
                .setStatusCode(200)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(io.vertx.core.buffer.Buffer.buffer(message.getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean fromThisHost(RoutingContext context) {
        SocketAddress peer = context.request().connection().remoteAddress();
        if (peer == null || peer.hostAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(peer.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
