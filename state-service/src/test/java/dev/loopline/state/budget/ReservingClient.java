package dev.loopline.state.budget;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A budget client as its own process (started by {@link ClientKilledBetweenReserveAndSettleTest}): reserves tokens on a
 * loop, prints the answer as one line ({@code reserved <json>}), then works until told to settle ({@code settle <n>} on
 * standard input) — which the test never does: it kills the process first.
 *
 * <p>Arguments: base URL, bearer token, loop id, tokens, TTL in seconds. Only JDK classes, so the test's class path
 * suffices.
 */
public final class ReservingClient {

    private ReservingClient() {}

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String token = args[1];
        String body = "{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + args[2] + "\"}],\"tokens\":" + args[3]
                + ",\"ttlSeconds\":" + args[4] + "}";
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> reserved = http.send(
                HttpRequest.newBuilder(base.resolve("/api/v1/budget/reservations"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (reserved.statusCode() != 201) {
            System.out.println("refused " + reserved.statusCode() + " " + reserved.body());
            System.exit(2);
        }
        System.out.println("reserved " + reserved.body());
        System.out.flush();
        String id = reserved.body().substring(reserved.body().indexOf("\"id\":\"") + 6);
        id = id.substring(0, id.indexOf('"'));
        // the work that uses the tokens; it ends with the settlement the parent asks for
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line != null && line.startsWith("settle ")) {
            HttpResponse<String> settled = http.send(
                    HttpRequest.newBuilder(base.resolve("/api/v1/budget/reservations/" + id + "/settle"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"actualTokens\":" + line.substring(7).strip() + "}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println("settled " + settled.statusCode());
        }
    }
}
