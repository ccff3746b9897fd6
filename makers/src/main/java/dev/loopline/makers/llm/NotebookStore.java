package dev.loopline.makers.llm;

import dev.loopline.schemas.http.LoopMemory;

/**
 * The notebook port of a model run: where a loop's durable notes are read and appended ({@link LoopNotebook}).
 * agent-service keeps them in state-service; the CLI's {@code run} in a local file.
 */
public interface NotebookStore {

    /** The loop's notes, oldest first. */
    LoopMemory.Notebook notes(String loopId) throws Unavailable;

    /** Appends one note, once per its key. */
    LoopMemory.Notebook append(String loopId, LoopMemory.NoteRequest note) throws Unavailable;

    /** The store could not be read or written; the run goes on without it. */
    class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }
    }
}
