package dev.loopline.core.retry;

import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.EarlierAttempt;
import java.util.ArrayList;
import java.util.List;

/**
 * The checker's feedback a reflexion retry hands the next attempt: one text per rejected attempt, oldest first — its
 * reasons, trimmed so that all of them together stay within {@link #REFLECTION_CHARS}, and for the attempt just
 * rejected also its test command and the tail of its output. The same texts agent-service's retries build.
 */
public final class Reflections {

    /** Characters of all attempts' reasons together (the test output tail comes on top). */
    public static final int REFLECTION_CHARS = 8000;

    /** Characters each attempt's reasons keep however many attempts there were. */
    public static final int MIN_REFLECTION_CHARS = 300;

    /** Characters of test output handed on. */
    public static final int OUTPUT_CHARS = 2000;

    private Reflections() {}

    /**
     * @param history every rejected attempt so far, oldest first, the latest included
     * @param latest the checker's verdict on the latest attempt
     */
    public static List<String> of(List<EarlierAttempt> history, ChangeVerified latest) {
        int perAttempt = Math.max(MIN_REFLECTION_CHARS, REFLECTION_CHARS / Math.max(1, history.size()));
        List<String> texts = new ArrayList<>(history.size());
        for (int i = 0; i < history.size(); i++) {
            EarlierAttempt e = history.get(i);
            String text = "Attempt " + e.attempt() + " was rejected: " + String.join("; ", e.reasons());
            if (text.length() > perAttempt) {
                text = text.substring(0, perAttempt - 1) + "…";
            }
            texts.add(i == history.size() - 1 ? text + testTail(latest) : text);
        }
        return List.copyOf(texts);
    }

    /** The test command and the tail of its output, as a reflection ends; empty when no test ran. */
    static String testTail(ChangeVerified verified) {
        StringBuilder text = new StringBuilder();
        if (verified.test() != null && verified.test().outputTail() != null) {
            String tail = verified.test().outputTail();
            if (tail.length() > OUTPUT_CHARS) {
                tail = tail.substring(tail.length() - OUTPUT_CHARS);
            }
            text.append("\nTest command: ").append(verified.test().command());
            text.append("\nTest output (tail):\n").append(tail);
        }
        return text.toString();
    }
}
