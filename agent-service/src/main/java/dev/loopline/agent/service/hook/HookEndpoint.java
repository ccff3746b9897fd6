package dev.loopline.agent.service.hook;

import dev.loopline.agent.config.ClaudeCodeConfig;
import io.quarkus.vertx.http.HttpServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import org.eclipse.microprofile.config.ConfigProvider;

/** Where the hook script of a session reaches this agent: its own HTTP port, on the loopback interface. */
@ApplicationScoped
public class HookEndpoint {

    /** The route's path; the session token follows. */
    public static final String PATH = "/api/v1/hooks/";

    @Inject
    ClaudeCodeConfig claude;

    @Inject
    Instance<HttpServer> server;

    /** The URL the hook script of the session with {@code token} posts to. */
    public URI forSession(String token) {
        String base = claude.hookUrl().map(URI::toString).orElseGet(() -> "http://127.0.0.1:" + port());
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH + token);
    }

    /** The port the HTTP server listens on, also when it was chosen at random (tests). */
    private int port() {
        if (server.isResolvable()) {
            return server.get().getPort();
        }
        return ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.port", Integer.class)
                .orElse(8080);
    }
}
