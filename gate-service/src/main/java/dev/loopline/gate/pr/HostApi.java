package dev.loopline.gate.pr;

import dev.loopline.gate.chat.JsonHttp;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** One Git host's REST API: its root, the headers every call carries (the token) and its name for messages. */
final class HostApi {

    private final String host;
    private final URI root;
    private final Map<String, String> headers;
    private final JsonHttp http;

    HostApi(String host, URI root, Map<String, String> headers, JsonHttp http) {
        this.host = host;
        this.root = root;
        this.headers = Map.copyOf(headers);
        this.http = http;
    }

    /** Calls {@code path} (below the root, with its query) and returns whatever the host answered. */
    JsonHttp.Reply call(String method, String path, Object body) throws IOException {
        return http.send(method, URI.create(root.toString().replaceAll("/+$", "") + path), headers, body);
    }

    /** Calls {@code path} and fails with what was tried unless the host answered 2xx. */
    JsonHttp.Reply expect(String method, String path, Object body, String what) throws IOException {
        JsonHttp.Reply reply = call(method, path, body);
        if (!reply.ok()) {
            throw new IOException(host + " answered " + reply.status() + " to " + what);
        }
        return reply;
    }
}
