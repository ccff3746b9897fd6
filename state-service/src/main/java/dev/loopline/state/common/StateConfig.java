package dev.loopline.state.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Run-log ingestion and state API settings. */
@ConfigMapping(prefix = "loopline.state")
public interface StateConfig {

    /** Name this service signs its dead letters with. */
    @WithDefault("state-service")
    String serviceName();

    /** How a database failure while recording an event is retried before the message is left unacknowledged. */
    StoreRetry storeRetry();

    /** Paging of the list endpoints. */
    Api api();

    /** How long the run log is kept. */
    Retention retention();

    /**
     * The scheduler whose schedule (its {@code GET /api/v1/schedule}) {@code GET /api/v1/loops} merges in (next run,
     * pauses, anomaly halts).
     */
    Scheduler scheduler();

    /**
     * The scheduler's public API. Without {@code url} the loops carry no schedule ({@code schedule: not-configured});
     * {@code token} is a bearer token the scheduler accepts (its {@code loopline.auth.token}).
     */
    interface Scheduler {
        Optional<URI> url();

        Optional<String> token();

        /** Connect and answer timeout: the loop list answers without the schedule rather than wait longer. */
        @WithDefault("PT2S")
        Duration timeout();
    }

    /** When a tick that makes no progress is ended {@code halted} (code {@code timeout}). */
    Deadline deadline();

    interface Deadline {
        /**
         * A tick none of whose events arrived for this long is ended. Keep it above the longest maker run plus the
         * longest test run plus their retries, or a slow tick is ended while it still works.
         */
        @WithDefault("PT45M")
        Duration noProgress();

        /** How often stalled ticks are looked for (Quarkus {@code every}; {@code off} disables it). */
        @WithDefault("60s")
        String every();

        /** Ticks ended per sweep at most; the rest wait for the next one. */
        @WithDefault("200")
        int batchSize();
    }

    interface Retention {
        /** Run events, completed ticks and dead letters older than this many days are deleted. */
        @WithDefault("30")
        int days();

        /** Rows deleted per transaction. */
        @WithDefault("1000")
        int batchSize();

        /** When pruning runs (Quarkus cron; {@code off} disables it). */
        @WithDefault("0 17 3 * * ?")
        String cron();
    }

    /** The live stream of run events ({@code GET /api/v1/stream}). */
    Stream stream();

    interface Stream {
        /** How often the run log is read for new events. */
        @WithDefault("PT0.25S")
        Duration pollInterval();

        /**
         * How long a missing sequence number is waited for before it is skipped. A number is missing while the
         * transaction that drew it has not committed yet, or for good when it rolled back.
         */
        @WithDefault("PT2S")
        Duration gapGrace();

        /** Events read per query. */
        @WithDefault("200")
        int batchSize();
    }

    /** Each loop's notebook ({@code /api/v1/loops/{id}/notes}). */
    Notebook notebook();

    interface Notebook {
        /** Notes kept per loop; an append beyond it deletes the oldest. */
        @WithDefault("50")
        int maxNotes();

        /** Longest note, in characters; a longer one is refused (400), not cut. */
        @WithDefault("2000")
        int maxNoteChars();
    }

    interface StoreRetry {
        /** Attempts in total, the first included. */
        @WithDefault("4")
        int maxAttempts();

        /** Delay before the second attempt; doubled before each further one. */
        @WithDefault("PT0.2S")
        Duration initialBackoff();
    }

    interface Api {
        @WithDefault("50")
        int defaultLimit();

        @WithDefault("200")
        int maxLimit();
    }
}
