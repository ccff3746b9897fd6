package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Minimal JSON-over-HTTP calls for the remote verbs; problem+json answers become readable errors. */
final class Http {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        String problem() {
            if (body != null && body.hasNonNull("detail")) {
                return body.path("title").asText("error") + ": "
                        + body.get("detail").asText();
            }
            return "HTTP " + status;
        }
    }

    static Answer get(String url, String token) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), token);
    }

    static Answer post(String url, String token, String json) {
        return send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)),
                token);
    }

    private static Answer send(HttpRequest.Builder request, String token) {
        HttpRequest built = request.header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            HttpResponse<String> response = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode body =
                    text == null || text.isBlank() ? null : Json.mapper().readTree(text);
            return new Answer(response.statusCode(), body);
        } catch (ConnectException e) {
            throw new IllegalStateException(
                    "cannot connect to " + built.uri().getAuthority() + " — is Loopline running? (./loopline up)");
        } catch (IOException e) {
            throw new IllegalStateException("request to " + built.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Http() {}
}
