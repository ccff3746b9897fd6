package dev.loopline.gate.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The gate's outbound JSON calls (Slack, outbound webhooks, GitHub, GitLab, state-service) on the JDK client: one
 * request, no retries (callers decide), and never a header value in an exception message (they carry tokens).
 */
public final class JsonHttp {

    /** An answer: its status and body. */
    public record Reply(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The body as JSON; a missing node when it is none. */
        public JsonNode json() {
            try {
                return body == null || body.isBlank()
                        ? Json.mapper().missingNode()
                        : Json.mapper().readTree(body);
            } catch (JsonProcessingException e) {
                return Json.mapper().missingNode();
            }
        }
    }

    private final HttpClient http;
    private final Duration timeout;

    public JsonHttp(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Sends {@code body} (serialised with Loopline's mapper; null = no body) and waits for the answer. */
    public Reply send(String method, URI uri, Map<String, String> headers, Object body) throws IOException {
        return sendRaw(method, uri, headers, body == null ? null : toJson(body));
    }

    /** Sends {@code json} exactly as given (signed bodies must go out byte for byte). */
    public Reply sendRaw(String method, URI uri, Map<String, String> headers, String json) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
        if (headers.keySet().stream().noneMatch("Accept"::equalsIgnoreCase)) {
            request.header("Accept", "application/json");
        }
        headers.forEach(request::header);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json; charset=utf-8")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + redacted(uri), e);
        }
    }

    public static String toJson(Object body) {
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot serialise " + body.getClass().getSimpleName(), e);
        }
    }

    /** The URI without its path and query, for logs: webhook URLs carry secrets in their path. */
    public static String redacted(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + "/…";
    }
}
