package dev.loopline.schemas.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.loopline.schemas.events.TriageReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The REST contract of a loop's memory in state-service, shared by state-service and its callers (the agent): the
 * triage cursor with the last accepted report ({@code GET /api/v1/loops/{id}/triage}) and the loop's notebook
 * ({@code GET|POST /api/v1/loops/{id}/notes}).
 */
public final class LoopMemory {

    private LoopMemory() {}

    /**
     * Where the loop's triage stands. A loop that never completed a triage has no cursors and no report.
     *
     * @param cursors per ref, the last commit triaged
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TriageState(
            String loopId, String tickId, Instant time, Map<String, String> cursors, TriageReport report) {

        public TriageState {
            cursors = cursors == null ? Map.of() : Map.copyOf(cursors);
        }
    }

    /** One durable note: written by a maker at the end of a run (author = the caller's name), oldest first. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Note(long id, String key, String tickId, String author, String text, Instant createdAt) {}

    /**
     * A note to append. {@code key} makes the append idempotent: the same key for the same loop stores one note (a
     * redelivered tick repeats its append).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NoteRequest(String key, String tickId, String text) {}

    /** The notebook as stored: the newest {@code maxNotes} notes, oldest first. */
    public record Notebook(String loopId, List<Note> notes, int maxNotes, int maxNoteChars) {

        public Notebook {
            notes = List.copyOf(notes);
        }
    }
}
