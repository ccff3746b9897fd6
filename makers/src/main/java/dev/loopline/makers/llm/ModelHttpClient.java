package dev.loopline.makers.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * The HTTP client LangChain4j's chat models call through, for one maker run: each call is bounded by the call timeout
 * and by what is left of the run, retried by the {@link RetryPolicy} (honouring {@code Retry-After}), and stopped at
 * once when the tick is halted. It fails with {@link ModelCallFailed} or {@link RunStopped}, never with LangChain4j's
 * exceptions, so the maker can tell a provider's refusal from an answer it could not read.
 */
final class ModelHttpClient implements HttpClient {

    private static final Logger LOG = Logger.getLogger(ModelHttpClient.class);

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final java.net.http.HttpClient jdk;
    private final RunContext run;
    private final RetryPolicy retry;
    private final Duration callTimeout;
    private final LlmProvider provider;
    private final Redactor redactor;
    private final RandomGenerator random;

    ModelHttpClient(
            java.net.http.HttpClient jdk,
            RunContext run,
            RetryPolicy retry,
            Duration callTimeout,
            LlmProvider provider,
            Redactor redactor,
            RandomGenerator random) {
        this.jdk = jdk;
        this.run = run;
        this.retry = retry;
        this.callTimeout = callTimeout;
        this.provider = provider;
        this.redactor = redactor;
        this.random = random;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        String where = request.method() + " " + withoutQuery(request.url());
        for (int attempt = 1; ; attempt++) {
            run.checkRunning();
            Duration timeout = run.bound(callTimeout);
            String failure;
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<byte[]> response = send(request, timeout);
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return SuccessfulHttpResponse.builder()
                            .statusCode(status)
                            .headers(response.headers().map())
                            .body(response.body())
                            .build();
                }
                failure = "HTTP " + status + " from " + where + ": " + ProviderProblem.describe(response.body());
                if (!RetryPolicy.retryable(status)) {
                    throw new ModelCallFailed(failure);
                }
                retryAfter = RetryPolicy.retryAfter(response.headers(), Instant.now());
            } catch (TimeoutException e) {
                // a call cut short by the end of the run is the run's timeout, not the call's
                run.checkRunning();
                failure = "no answer from " + where + " within " + seconds(timeout);
            } catch (IOException e) {
                failure = "cannot reach " + where + ": " + e;
            }
            if (attempt >= retry.maxAttempts()) {
                throw new ModelCallFailed(failure + " (gave up after " + attempt + " tries)");
            }
            int failures = attempt;
            Duration wait = retryAfter.orElseGet(() -> retry.backoff(failures, random));
            if (wait.compareTo(run.remaining()) >= 0) {
                throw new ModelCallFailed(failure + " (the next try, in " + seconds(wait)
                        + ", would come after the run's time limit of " + seconds(run.runTimeout()) + ")");
            }
            LOG.infof(
                    "%s call failed, try %d of %d in %d ms%s: %s",
                    provider.displayName(),
                    attempt + 1,
                    retry.maxAttempts(),
                    wait.toMillis(),
                    retryAfter.isPresent() ? " (as Retry-After asks)" : "",
                    redactor.redact(failure));
            pause(wait);
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("the LLM makers do not stream");
    }

    private HttpResponse<byte[]> send(HttpRequest request, Duration timeout) throws IOException, TimeoutException {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(timeout)
                .method(
                        request.method().name(),
                        request.body() == null
                                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
        request.headers().forEach((name, values) -> {
            if (values != null && !RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        // sendAsync + get bounds the whole exchange, body included, and a halt (interrupt) ends the wait at once
        CompletableFuture<HttpResponse<byte[]>> future =
                jdk.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new RunStopped(RunStopped.Why.HALTED);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new TimeoutException(cause.getMessage());
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new ModelCallFailed("cannot call " + provider.displayName() + ": " + cause);
        }
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunStopped(RunStopped.Why.HALTED);
        }
    }

    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    static String seconds(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        return millis % 1000 == 0 ? millis / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
