package dev.loopline.makers.claude;

import dev.loopline.makers.llm.LoopNotebook;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop notebook for the claude-code maker. The CLI cannot be offered Loopline's {@code add_note} tool (only MCP
 * servers add tools, and the run loads none), so Claude is told, in the appended system prompt, to end its final
 * answer with one {@value #PREFIX} line per note; those lines are kept in the notebook and left out of the summary.
 */
public final class ClaudeCodeNotes {

    public static final String PREFIX = "Loopline note:";

    /** For the appended system prompt, when the loop keeps a notebook. */
    public static final String HOW_TO_KEEP =
            "Loopline keeps a notebook for this loop across runs. To leave a durable note"
                    + " for later runs (a decision, a known problem, where something lives), end your final answer with one"
                    + " line per note that starts with \"" + PREFIX + "\"; at most " + LoopNotebook.MAX_NEW_NOTES
                    + " notes of at most " + LoopNotebook.MAX_NOTE_CHARS + " characters each.";

    private ClaudeCodeNotes() {}

    /** The notes the answer names, in order: the text after the prefix of each note line, where it is not empty. */
    public static List<String> in(String answer) {
        List<String> notes = new ArrayList<>();
        if (answer == null) {
            return notes;
        }
        for (String line : answer.split("\\R")) {
            String text = noteText(line);
            if (text != null && !text.isEmpty()) {
                notes.add(text);
            }
        }
        return notes;
    }

    /** The answer without its note lines. */
    public static String without(String answer) {
        if (answer == null) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        for (String line : answer.split("\\R")) {
            if (noteText(line) == null) {
                kept.add(line);
            }
        }
        return String.join("\n", kept).strip();
    }

    /**
     * The note of a line that starts with the prefix, also as a Markdown list item or in bold ({@code - Loopline
     * note: …}, {@code **Loopline note:** …}); null for any other line.
     */
    private static String noteText(String line) {
        String s = line.strip();
        while (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '*' || s.charAt(0) == '•')) {
            s = s.substring(1).stripLeading();
        }
        if (!s.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        String rest = s.substring(PREFIX.length());
        while (rest.startsWith("*")) {
            rest = rest.substring(1);
        }
        return rest.strip();
    }

    /** Keeps the answer's notes (beyond a run's limits they are refused, and logged by the caller). */
    public static List<String> keep(LoopNotebook notebook, String answer) {
        List<String> refused = new ArrayList<>();
        for (String note : in(answer)) {
            String said = notebook.keep(note);
            if (!said.startsWith("noted")) {
                refused.add(said);
            }
        }
        return refused;
    }
}
