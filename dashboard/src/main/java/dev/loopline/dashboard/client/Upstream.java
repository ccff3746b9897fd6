package dev.loopline.dashboard.client;

import dev.loopline.dashboard.config.DashboardConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The dashboard's one HTTP client to state-, gate- and scheduler-service. Every call carries the token of the user
 * it is made for; the dashboard has no token of its own.
 */
@ApplicationScoped
public class Upstream {

    /** The services the dashboard reads and acts on. */
    public enum Service {
        STATE("state-service"),
        GATE("gate-service"),
        SCHEDULER("scheduler-service");

        private final String label;

        Service(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** An upstream answer, relayed as it is: its status, body and content type. */
    public record Answer(int status, String body, String contentType) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** The service is not configured, or could not be reached or did not answer in time. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    @Inject
    DashboardConfig config;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public boolean configured(Service service) {
        return base(service).isPresent();
    }

    public Answer get(Service service, String pathAndQuery, String token) {
        return send(service, request(service, pathAndQuery, token).GET().build());
    }

    public Answer post(Service service, String path, String token, String json) {
        return send(
                service,
                request(service, path, token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                        .build());
    }

    /**
     * Opens state-service's live stream as {@code token}, resuming after {@code lastEventId} when given: the status,
     * and on 200 the lines of the event stream, read as they arrive (close the stream to hang up).
     */
    public HttpResponse<Stream<String>> stream(String token, Long lastEventId)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(Service.STATE, "/api/v1/stream"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
    }

    private HttpRequest.Builder request(Service service, String path, String token) {
        return HttpRequest.newBuilder(resolve(service, path))
                .timeout(config.upstreamTimeout())
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private URI resolve(Service service, String path) {
        URI base = base(service)
                .orElseThrow(() -> new Unavailable(service.label() + " is not configured for the dashboard"));
        return URI.create(base.toString().replaceAll("/+$", "") + path);
    }

    private Optional<URI> base(Service service) {
        return switch (service) {
            case STATE -> Optional.of(config.stateUrl());
            case GATE -> config.gateUrl();
            case SCHEDULER -> config.schedulerUrl();
        };
    }

    private Answer send(Service service, HttpRequest request) {
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Content-Type").orElse("application/json"));
        } catch (IOException e) {
            throw new Unavailable(service.label() + " cannot be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while calling " + service.label());
        }
    }
}
