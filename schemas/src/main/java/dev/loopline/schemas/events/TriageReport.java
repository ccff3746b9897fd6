package dev.loopline.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * The triage stage's report (schema version 4): what it decided, the commits it read since the loop's cursor,
 * bucketed by priority, and where each ref's cursor moves once the report is accepted. A report travels only after
 * every cited SHA was verified grounded; state-service advances the cursor when it records the event.
 *
 * @param truncated true when more commits were found than {@code items} lists; the counts cover all of them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriageReport(
        Decision decision, List<Cursor> cursors, List<Item> items, int high, int watch, int noise, Boolean truncated) {

    /** Most items one report lists. */
    public static final int MAX_ITEMS = 500;

    public TriageReport {
        Objects.requireNonNull(decision, "decision");
        cursors = List.copyOf(cursors);
        items = List.copyOf(items);
    }

    /** Every SHA the report cites: the items' and the cursors' (both must be real commits). */
    public List<String> citedShas() {
        java.util.LinkedHashSet<String> shas = new java.util.LinkedHashSet<>();
        for (Item item : items) {
            shas.add(item.sha());
        }
        for (Cursor cursor : cursors) {
            if (cursor.from() != null) {
                shas.add(cursor.from());
            }
            shas.add(cursor.to());
        }
        return List.copyOf(shas);
    }

    /** What the tick does after triage (as loop-runtime's triage decides). */
    public enum Decision {
        /** Nothing new since the cursor. */
        @JsonProperty("no-op")
        NO_OP,
        /** New commits, reported; nothing is changed. */
        @JsonProperty("report")
        REPORT,
        /** A report loop with a maker: the maker drafts its report on top of this one. */
        @JsonProperty("act")
        ACT;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Priority of one commit. */
    public enum Bucket {
        @JsonProperty("high")
        HIGH,
        @JsonProperty("watch")
        WATCH,
        @JsonProperty("noise")
        NOISE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A ref's cursor: from the commit last triaged (absent on the first run) to the ref's head now. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cursor(String ref, String from, String to) {
        public Cursor {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(to, "to");
        }
    }

    /** One commit: its bucket, full SHA and subject line. */
    public record Item(Bucket bucket, String sha, String subject) {
        public Item {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(sha, "sha");
            Objects.requireNonNull(subject, "subject");
        }
    }
}
