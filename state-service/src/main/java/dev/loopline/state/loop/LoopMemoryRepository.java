package dev.loopline.state.loop;

import dev.loopline.schemas.http.LoopMemory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code loop_triage} and {@code loop_note} (V15): a loop's triage cursor and its notebook. */
@ApplicationScoped
public class LoopMemoryRepository {

    @Inject
    EntityManager em;

    /** The stored triage row: its tick, event time and report JSON. */
    public record TriageRow(String loopId, String tickId, Instant eventTime, String reportJson) {}

    /**
     * Stores the report unless a newer event's report is stored already; a redelivered or late older event never moves
     * the cursor back.
     *
     * @return true when the row was written
     */
    public boolean advance(String loopId, String tickId, Instant eventTime, String reportJson, Instant now) {
        int n = em.createNativeQuery(
                        """
                        INSERT INTO loop_triage (loop_id, tick_id, event_time, report, updated_at)
                        VALUES (:loop, :tick, :time, CAST(:report AS jsonb), :now)
                        ON CONFLICT (loop_id) DO UPDATE
                           SET tick_id = EXCLUDED.tick_id, event_time = EXCLUDED.event_time,
                               report = EXCLUDED.report, updated_at = EXCLUDED.updated_at
                         WHERE loop_triage.event_time <= EXCLUDED.event_time
                        """)
                .setParameter("loop", loopId)
                .setParameter("tick", tickId)
                .setParameter("time", eventTime)
                .setParameter("report", reportJson)
                .setParameter("now", now)
                .executeUpdate();
        return n == 1;
    }

    public Optional<TriageRow> triage(String loopId) {
        List<?> rows = em.createNativeQuery(
                        "SELECT loop_id, tick_id, event_time, CAST(report AS text) FROM loop_triage WHERE loop_id = :loop")
                .setParameter("loop", loopId)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new TriageRow((String) r[0], (String) r[1], instant(r[2]), (String) r[3]));
    }

    /** Every loop's triage row, for the STATE.md export. */
    public List<TriageRow> allTriage() {
        List<TriageRow> out = new ArrayList<>();
        for (Object row : em.createNativeQuery(
                        "SELECT loop_id, tick_id, event_time, CAST(report AS text) FROM loop_triage ORDER BY loop_id")
                .getResultList()) {
            Object[] r = (Object[]) row;
            out.add(new TriageRow((String) r[0], (String) r[1], instant(r[2]), (String) r[3]));
        }
        return out;
    }

    /**
     * Appends a note unless the loop has one with the same key; then keeps only the newest {@code maxNotes}.
     *
     * @return true when the note was new
     */
    public boolean appendNote(
            String loopId, String key, String tickId, String author, String text, Instant now, int maxNotes) {
        int inserted = em.createNativeQuery(
                        """
                        INSERT INTO loop_note (loop_id, note_key, tick_id, author, text, created_at)
                        VALUES (:loop, :key, :tick, :author, :text, :now)
                        ON CONFLICT (loop_id, note_key) DO NOTHING
                        """)
                .setParameter("loop", loopId)
                .setParameter("key", key)
                .setParameter("tick", tickId)
                .setParameter("author", author)
                .setParameter("text", text)
                .setParameter("now", now)
                .executeUpdate();
        if (inserted == 1) {
            em.createNativeQuery(
                            """
                            DELETE FROM loop_note
                             WHERE loop_id = :loop
                               AND id NOT IN (SELECT id FROM loop_note WHERE loop_id = :loop ORDER BY id DESC LIMIT :max)
                            """)
                    .setParameter("loop", loopId)
                    .setParameter("max", maxNotes)
                    .executeUpdate();
        }
        return inserted == 1;
    }

    /** The loop's notes, oldest first. */
    public List<LoopMemory.Note> notes(String loopId) {
        List<LoopMemory.Note> out = new ArrayList<>();
        for (Object row : em.createNativeQuery(
                        """
                        SELECT id, note_key, tick_id, author, text, created_at
                          FROM loop_note WHERE loop_id = :loop ORDER BY id
                        """)
                .setParameter("loop", loopId)
                .getResultList()) {
            Object[] r = (Object[]) row;
            out.add(new LoopMemory.Note(
                    ((Number) r[0]).longValue(),
                    (String) r[1],
                    (String) r[2],
                    (String) r[3],
                    (String) r[4],
                    instant(r[5])));
        }
        return out;
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
