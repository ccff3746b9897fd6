package dev.loopline.agent.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One authenticated JSON call to state-service, for the agent's clients of it. A failure names the method, the URL
 * and what went wrong, never the token.
 */
final class StateCalls {

    /** What state-service answered. */
    record Answer(int status, String body) {}

    /** The call could not be made or its answer not read. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final URI stateUrl;
    private final String token;
    private final Duration requestTimeout;

    StateCalls(HttpClient http, URI stateUrl, String token, Duration requestTimeout) {
        this.http = http;
        this.stateUrl = stateUrl;
        this.token = token;
        this.requestTimeout = requestTimeout;
    }

    boolean configured() {
        return stateUrl != null && token != null && !token.isBlank();
    }

    /** Sends the call and answers whatever status came back. */
    Answer send(String method, String path, Object body) throws Failed {
        URI uri = stateUrl.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .timeout(requestTimeout);
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(
                                method,
                                HttpRequest.BodyPublishers.ofString(
                                        Json.mapper().writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (JsonProcessingException e) {
            throw new Failed("cannot write the body of " + method + " " + uri + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Failed(method + " " + uri + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted while calling " + method + " " + uri);
        }
    }

    /** Sends the call and reads a 200 answer as {@code type}; any other status fails with its detail. */
    <T> T read(String method, String path, Object body, Class<T> type) throws Failed {
        Answer answer = send(method, path, body);
        URI uri = stateUrl.resolve(path);
        if (answer.status() != 200) {
            String detail = answer.body() == null ? "" : answer.body().strip();
            if (detail.length() > 300) {
                detail = detail.substring(0, 300) + "…";
            }
            throw new Failed("HTTP " + answer.status() + " from " + method + " " + uri
                    + (detail.isEmpty() ? "" : ": " + detail));
        }
        try {
            return Json.mapper().readValue(answer.body(), type);
        } catch (JsonProcessingException e) {
            throw new Failed("unreadable answer from " + method + " " + uri + ": " + e.getOriginalMessage());
        }
    }
}
