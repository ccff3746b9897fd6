package dev.loopline.agent.rest;

import dev.loopline.agent.service.hook.HookEndpoint;
import dev.loopline.makers.claude.HookReply;
import dev.loopline.makers.claude.HookSession;
import dev.loopline.makers.claude.HookSessions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /api/v1/hooks/{token}}: the resident end of the claude-code maker's hook script. The body is the
 * hook's JSON as the CLI wrote it; the answer is makers' {@link HookReply}: {@code 204} (let the call be) or {@code 200} with a plain-text
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
        HookReply reply = HookReply.to(
                session,
                session.isEmpty() ? new byte[0] : context.body().buffer().getBytes());
        if (reply.status() == 200) {
            text(context, reply.text());
        } else {
            context.response().setStatusCode(reply.status()).end();
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
