package dev.loopline.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * One service of a running deployment as the remote verbs call it: JSON over HTTP with the bearer token. An answer
 * the verb can act on comes back as an {@link Answer}, problems included; what no verb can act on (no connection,
 * a refused token, a body that is not JSON) is a {@link RemoteFailure} with its own exit code.
 */
final class Api {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** How the user points the CLI at a service: its name, and the option and variable that set its URL. */
    record Service(String name, String urlOption, String urlEnv) {
        static final Service SCHEDULER = new Service("scheduler-service", "--scheduler-url", "LOOPLINE_SCHEDULER_URL");
        static final Service STATE = new Service("state-service", "--state-url", "LOOPLINE_STATE_URL");
        static final Service GATE = new Service("gate-service", "--gate-url", "LOOPLINE_GATE_URL");
    }

    /** An HTTP answer with its JSON body (null when empty). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /**
         * What went wrong, once: the problem's {@code detail}, which both services write as a whole sentence naming
         * the occurrence; the {@code title} (the problem type's summary) only when there is no detail. Printing both
         * said everything twice ("The loop may not run now: loop x may not run now: …").
         */
        String problem() {
            if (body != null && body.hasNonNull("detail")) {
                return body.get("detail").asText();
            }
            if (body != null && body.hasNonNull("title")) {
                return body.get("title").asText();
            }
            return "HTTP " + status;
        }
    }

    private final Service service;
    private final String baseUrl;
    private final String token;
    private final String tokenSource;

    Api(Service service, String baseUrl, String token, String tokenSource) {
        this.service = service;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.tokenSource = tokenSource;
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer post(String path, JsonNode body) {
        return send(request(path).header("Content-Type", "application/json").POST(json(body)));
    }

    Answer put(String path, JsonNode body) {
        return send(request(path).header("Content-Type", "application/json").PUT(json(body)));
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        URI base;
        try {
            base = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw notAUrl();
        }
        if (base.getHost() == null || !("http".equals(base.getScheme()) || "https".equals(base.getScheme()))) {
            throw notAUrl();
        }
        try {
            return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new UsageException("'" + path + "' cannot be sent: an id holds a character a URL path cannot"
                    + " (ids are lower-case letters, digits and '-')");
        }
    }

    private UsageException notAUrl() {
        return new UsageException("'" + baseUrl + "' is not an http(s) URL of the " + service.name() + " (set by "
                + service.urlOption() + " or " + service.urlEnv() + ")");
    }

    private static HttpRequest.BodyPublisher json(JsonNode body) {
        return HttpRequest.BodyPublishers.ofString(body.toString());
    }

    private Answer send(HttpRequest.Builder request) {
        HttpRequest built = request.header("Authorization", "Bearer " + token).build();
        HttpResponse<String> response;
        try {
            response = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteFailure(ExitCodes.FAILURE, "interrupted while waiting for " + service.name());
        }
        Answer answer = new Answer(response.statusCode(), body(response));
        if (answer.status() == 401) {
            throw new RemoteFailure(
                    ExitCodes.DENIED,
                    service.name() + " refused the token from " + tokenSource + ": " + answer.problem()
                            + ". Set LOOPLINE_TOKEN (or pass --token) to a valid API token.");
        }
        if (answer.status() == 403) {
            throw new RemoteFailure(
                    ExitCodes.DENIED,
                    service.name() + " refused this request: " + answer.problem()
                            + ". Set LOOPLINE_TOKEN (or pass --token) to a token whose role allows it.");
        }
        return answer;
    }

    private JsonNode body(HttpResponse<String> response) {
        String text = response.body();
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new RemoteFailure(
                    ExitCodes.FAILURE,
                    baseUrl + " answered HTTP " + response.statusCode() + " with a body that is not JSON; is it the "
                            + service.name() + "? (" + service.urlOption() + " / " + service.urlEnv() + ")");
        }
    }

    private RemoteFailure unreachable(IOException e) {
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "no connection within 5 s";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        } else if (e instanceof ConnectException && e.getCause() instanceof UnresolvedAddressException) {
            why = "unknown host";
        } else if (e instanceof ConnectException) {
            why = "connection refused";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new RemoteFailure(
                ExitCodes.UNREACHABLE,
                "cannot reach " + service.name() + " at " + baseUrl + " (" + why + "). Is Loopline running? Start"
                        + " the local stack with ./loopline up, or point " + service.urlOption() + " / "
                        + service.urlEnv() + " at a running deployment.");
    }
}
