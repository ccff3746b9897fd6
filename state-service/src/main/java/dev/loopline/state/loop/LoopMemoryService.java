package dev.loopline.state.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TriageReport;
import dev.loopline.schemas.http.LoopMemory;
import dev.loopline.schemas.json.Json;
import dev.loopline.state.common.StateConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A loop's memory across ticks: the triage cursor (advanced from recorded events that carry a grounded triage report)
 * and the notebook (appended through the API by makers).
 */
@ApplicationScoped
public class LoopMemoryService {

    @Inject
    LoopMemoryRepository repository;

    @Inject
    StateConfig config;

    @Inject
    Clock clock;

    /**
     * Folds an event just recorded in the run log (same transaction): a completed tick or a proposal carrying a
     * triage report moves the loop's cursor. The agent attaches a report only after every SHA it cites was grounded,
     * and never to a failed tick, so the cursor advances only on success.
     */
    public void onRecorded(Event event) {
        report(event)
                .ifPresent(report -> repository.advance(
                        event.loopId(), event.tickId(), event.time(), json(report), clock.instant()));
    }

    static Optional<TriageReport> report(Event event) {
        if (event.data() instanceof TickCompleted done
                && done.triage() != null
                && (done.outcome() == TickCompleted.Outcome.REPORTED
                        || done.outcome() == TickCompleted.Outcome.NO_OP)) {
            return Optional.of(done.triage());
        }
        if (event.data() instanceof ChangeProposed proposed && proposed.triage() != null) {
            return Optional.of(proposed.triage());
        }
        return Optional.empty();
    }

    @Transactional
    public LoopMemory.TriageState triage(String loopId) {
        return repository
                .triage(loopId)
                .map(row -> {
                    TriageReport report = parse(row.reportJson());
                    Map<String, String> cursors = new LinkedHashMap<>();
                    report.cursors().forEach(c -> cursors.put(c.ref(), c.to()));
                    return new LoopMemory.TriageState(loopId, row.tickId(), row.eventTime(), cursors, report);
                })
                .orElseGet(() -> new LoopMemory.TriageState(loopId, null, null, Map.of(), null));
    }

    @Transactional
    public Map<String, LoopMemory.TriageState> allTriage() {
        Map<String, LoopMemory.TriageState> out = new LinkedHashMap<>();
        for (LoopMemoryRepository.TriageRow row : repository.allTriage()) {
            TriageReport report = parse(row.reportJson());
            Map<String, String> cursors = new LinkedHashMap<>();
            report.cursors().forEach(c -> cursors.put(c.ref(), c.to()));
            out.put(
                    row.loopId(),
                    new LoopMemory.TriageState(row.loopId(), row.tickId(), row.eventTime(), cursors, report));
        }
        return out;
    }

    /** Appends a note (idempotent by key) and answers the notebook as stored. */
    @Transactional
    public LoopMemory.Notebook append(String loopId, String key, String tickId, String author, String text) {
        repository.appendNote(
                loopId,
                key,
                tickId,
                author,
                text,
                clock.instant(),
                config.notebook().maxNotes());
        return notebook(loopId);
    }

    @Transactional
    public LoopMemory.Notebook notebook(String loopId) {
        return new LoopMemory.Notebook(
                loopId,
                repository.notes(loopId),
                config.notebook().maxNotes(),
                config.notebook().maxNoteChars());
    }

    private static String json(TriageReport report) {
        try {
            return Json.mapper().writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TriageReport parse(String json) {
        try {
            return Json.mapper().readValue(json, TriageReport.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
