package dev.loopline.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.makers.llm.LoopNotebook;
import dev.loopline.makers.llm.NotebookStore;
import dev.loopline.schemas.http.LoopMemory;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The external state of {@code loopline run}, in one local JSON file (by default {@code .loopline/run-state.json} in
 * the current directory): per loop, its triage cursors and its recent ticks, from which the day's token spend is
 * summed. Written whole to a temporary file and moved into place, so a crash never leaves half a file. A dry run reads
 * it (for the day's spend) and keeps its own ticks in memory only: it never writes the file.
 */
final class LocalRunState {

    /** Notes kept per loop (state-service's default); older ones are dropped. */
    static final int MAX_NOTES = 100;

    /** Ticks kept per loop; older ones are dropped. */
    static final int MAX_TICKS = 50;

    static final Path DEFAULT_FILE = Path.of(".loopline", "run-state.json");

    /** One tick as the run recorded it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Tick(
            String tickId,
            String time,
            String level,
            String maker,
            boolean dryRun,
            String outcome,
            String verdict,
            String decision,
            String reason,
            long tokens,
            String branch,
            String commit,
            Integer attempts) {}

    /** A loop's state; {@code notes} is its notebook (the openai and anthropic makers' durable notes). */
    record Loop(
            Map<String, String> cursors,
            List<Tick> ticks,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LoopMemory.Note> notes) {
        Loop {
            cursors = cursors == null ? new LinkedHashMap<>() : new LinkedHashMap<>(cursors);
            ticks = ticks == null ? new ArrayList<>() : new ArrayList<>(ticks);
            notes = notes == null ? new ArrayList<>() : new ArrayList<>(notes);
        }
    }

    /** The whole file. */
    record Document(Map<String, Loop> loops) {
        Document {
            loops = loops == null ? new LinkedHashMap<>() : new LinkedHashMap<>(loops);
        }
    }

    private static final ObjectMapper MAPPER = Json.mapper();

    private final Path file;
    private final Document document;

    private LocalRunState(Path file, Document document) {
        this.file = file;
        this.document = document;
    }

    /** The state in {@code file}, or an empty one when the file does not exist yet. */
    static LocalRunState read(Path file) {
        if (!Files.exists(file)) {
            return new LocalRunState(file, new Document(null));
        }
        try {
            return new LocalRunState(file, MAPPER.readValue(file.toFile(), Document.class));
        } catch (IOException e) {
            throw new UsageException("cannot read the run state " + file + " (" + e.getMessage()
                    + "); fix or delete it, or pass --state-file another file");
        }
    }

    Path file() {
        return file;
    }

    Loop loop(String loopId) {
        return document.loops().computeIfAbsent(loopId, id -> new Loop(null, null, null));
    }

    /** Tokens the loop's ticks recorded today (UTC). */
    long spentToday(String loopId) {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        return loop(loopId).ticks().stream()
                .filter(t -> t.time() != null && t.time().startsWith(today))
                .mapToLong(Tick::tokens)
                .sum();
    }

    void record(String loopId, Tick tick) {
        List<Tick> ticks = loop(loopId).ticks();
        ticks.add(tick);
        while (ticks.size() > MAX_TICKS) {
            ticks.remove(0);
        }
    }

    /**
     * The loops' notebooks in this file, for the openai and anthropic makers: appended in memory (once per key) and
     * written with the rest of the state, so a dry run keeps none.
     */
    NotebookStore notebook() {
        return new NotebookStore() {
            @Override
            public LoopMemory.Notebook notes(String loopId) {
                return new LoopMemory.Notebook(loopId, loop(loopId).notes(), MAX_NOTES, LoopNotebook.MAX_NOTE_CHARS);
            }

            @Override
            public LoopMemory.Notebook append(String loopId, LoopMemory.NoteRequest note) {
                List<LoopMemory.Note> notes = loop(loopId).notes();
                if (notes.stream().noneMatch(n -> note.key().equals(n.key()))) {
                    long id =
                            notes.stream().mapToLong(LoopMemory.Note::id).max().orElse(0) + 1;
                    notes.add(new LoopMemory.Note(
                            id,
                            note.key(),
                            note.tickId(),
                            "loopline run",
                            note.text(),
                            Instant.now().truncatedTo(ChronoUnit.SECONDS)));
                    while (notes.size() > MAX_NOTES) {
                        notes.remove(0);
                    }
                }
                return notes(loopId);
            }
        };
    }

    void moveCursors(String loopId, Map<String, String> cursors) {
        loop(loopId).cursors().putAll(cursors);
    }

    void write() {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, ".run-state-", ".json");
            MAPPER.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), document);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the run state " + file + ": " + e.getMessage(), e);
        }
    }
}
