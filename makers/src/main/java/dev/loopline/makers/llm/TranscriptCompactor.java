package dev.loopline.makers.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a long run's transcript under a threshold (Strive's {@code Compactor}, after Anthropic's context-engineering
 * advice): once the messages sent to the model pass {@code aboveChars} characters, or the provider reports more than
 * {@code aboveTokens} input tokens for the last call, every turn but the newest {@code keepRecentTurns} is folded into
 * a summary appended to the task message:
 *
 * <ul>
 *   <li><b>decisions</b> — what the model said in each folded turn and the tool calls it made, each with the first
 *       line of its result ({@code wrote …}, {@code exit 0}, {@code refused: …});
 *   <li><b>open problems</b> — commands that failed (non-zero exit, error, refusal) and were not later run again with
 *       exit 0, each with the tail of its output;
 *   <li>the tool output itself is dropped: it is the bulk of the transcript and almost never read again.
 * </ul>
 *
 * The system prompt, the task and the recent turns stay verbatim, so the transcript stays a valid conversation (the
 * kept tail starts with an assistant turn and every tool result follows its call). Compacting again folds further
 * turns into the same summary; the summary itself is bounded ({@value #MAX_DECISIONS} decisions, {@value
 * #MAX_PROBLEMS} problems).
 */
final class TranscriptCompactor {

    static final int MAX_DECISIONS = 60;
    static final int MAX_PROBLEMS = 20;
    private static final int DECISION_TEXT = 400;
    private static final int CALL_ARGS = 160;
    private static final int PROBLEM_TAIL = 300;

    private final long aboveChars;
    private final long aboveTokens;
    private final int keepRecentTurns;

    private final Deque<String> decisions = new ArrayDeque<>();
    /** Failed commands by command text, in the order they failed; a later success removes one. */
    private final Map<String, String> problems = new LinkedHashMap<>();

    private String task;
    private int foldedTurns;
    private int compactions;

    /**
     * @param aboveChars compact once the transcript has more characters than this
     * @param aboveTokens compact once a call's input tokens were more than this; 0 for no token threshold
     * @param keepRecentTurns assistant turns (with their tool results) kept verbatim, at least 1
     */
    TranscriptCompactor(long aboveChars, long aboveTokens, int keepRecentTurns) {
        if (aboveChars < 1000 || aboveTokens < 0 || keepRecentTurns < 1) {
            throw new IllegalArgumentException("compaction needs above-chars >= 1000, above-tokens >= 0 and"
                    + " keep-recent-turns >= 1, got " + aboveChars + ", " + aboveTokens + ", " + keepRecentTurns);
        }
        this.aboveChars = aboveChars;
        this.aboveTokens = aboveTokens;
        this.keepRecentTurns = keepRecentTurns;
    }

    int compactions() {
        return compactions;
    }

    int foldedTurns() {
        return foldedTurns;
    }

    /** Characters of the transcript as sent (text, tool arguments, tool results). */
    static long size(List<ChatMessage> messages) {
        long n = 0;
        for (ChatMessage m : messages) {
            n += text(m).length();
        }
        return n;
    }

    /**
     * Compacts {@code messages} (system prompt, task, then turns) in place when it is past a threshold and has more
     * turns than are kept.
     *
     * @param lastInputTokens the input tokens the provider reported for the last call, 0 if unknown
     * @return true when it compacted
     */
    boolean maybeCompact(List<ChatMessage> messages, long lastInputTokens) {
        boolean over = size(messages) > aboveChars || (aboveTokens > 0 && lastInputTokens > aboveTokens);
        if (!over || messages.size() < 3) {
            return false;
        }
        if (!(messages.get(0) instanceof SystemMessage) || !(messages.get(1) instanceof UserMessage first)) {
            throw new IllegalStateException("a transcript starts with the system prompt and the task");
        }
        if (task == null) {
            task = first.singleText();
        }
        List<Integer> turnStarts = new ArrayList<>();
        for (int i = 2; i < messages.size(); i++) {
            if (messages.get(i) instanceof AiMessage) {
                turnStarts.add(i);
            }
        }
        if (turnStarts.size() <= keepRecentTurns) {
            return false;
        }
        int keepFrom = turnStarts.get(turnStarts.size() - keepRecentTurns);
        List<ChatMessage> folded = new ArrayList<>(messages.subList(2, keepFrom));
        fold(folded);
        List<ChatMessage> kept = new ArrayList<>(messages.subList(keepFrom, messages.size()));
        // a problem the kept turns already fixed is not open any more
        resolveFrom(kept);
        ChatMessage system = messages.get(0);
        messages.clear();
        messages.add(system);
        messages.add(UserMessage.from(task + "\n\n" + summary()));
        messages.addAll(kept);
        compactions++;
        return true;
    }

    private void fold(List<ChatMessage> turns) {
        Map<String, ToolExecutionRequest> calls = new LinkedHashMap<>();
        for (ChatMessage m : turns) {
            if (m instanceof AiMessage ai) {
                foldedTurns++;
                String said = ai.text() == null ? "" : oneLine(ThinkBlocks.strip(ai.text()));
                if (!said.isEmpty()) {
                    decide("turn " + foldedTurns + ": " + cut(said, DECISION_TEXT));
                }
                if (ai.hasToolExecutionRequests()) {
                    for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                        calls.put(call.id(), call);
                    }
                }
            } else if (m instanceof ToolExecutionResultMessage result) {
                ToolExecutionRequest call = calls.get(result.id());
                String name = call == null ? result.toolName() : call.name();
                String arguments = call == null ? "" : oneLine(call.arguments());
                String outcome = result.text() == null ? "" : result.text();
                decide("turn " + foldedTurns + ": " + name + " " + cut(arguments, CALL_ARGS) + " -> "
                        + cut(firstLine(outcome), CALL_ARGS));
                track(name, arguments, outcome);
            }
        }
    }

    private void resolveFrom(List<ChatMessage> kept) {
        Map<String, ToolExecutionRequest> calls = new LinkedHashMap<>();
        for (ChatMessage m : kept) {
            if (m instanceof AiMessage ai && ai.hasToolExecutionRequests()) {
                ai.toolExecutionRequests().forEach(c -> calls.put(c.id(), c));
            } else if (m instanceof ToolExecutionResultMessage result && calls.containsKey(result.id())) {
                ToolExecutionRequest call = calls.get(result.id());
                if (WorktreeTools.RUN_COMMAND.equals(call.name())
                        && firstLine(result.text()).equals("exit 0")) {
                    problems.remove(oneLine(call.arguments()));
                }
            }
        }
    }

    private void track(String tool, String arguments, String outcome) {
        String head = firstLine(outcome);
        boolean failed = head.startsWith("refused:")
                || head.startsWith("error:")
                || (head.startsWith("exit ") && !head.equals("exit 0"));
        if (WorktreeTools.RUN_COMMAND.equals(tool) && head.equals("exit 0")) {
            problems.remove(arguments);
            return;
        }
        if (!failed) {
            return;
        }
        String tail =
                outcome.length() > PROBLEM_TAIL ? "…" + outcome.substring(outcome.length() - PROBLEM_TAIL) : outcome;
        problems.remove(arguments);
        problems.put(arguments, tool + " " + cut(arguments, CALL_ARGS) + " -> " + oneLine(tail));
        while (problems.size() > MAX_PROBLEMS) {
            problems.remove(problems.keySet().iterator().next());
        }
    }

    private void decide(String line) {
        decisions.addLast(line);
        while (decisions.size() > MAX_DECISIONS) {
            decisions.removeFirst();
        }
    }

    private String summary() {
        StringBuilder sb = new StringBuilder("[Loopline compacted the first ")
                .append(foldedTurns)
                .append(" turns of this run to keep the conversation short; their tool output was dropped.");
        sb.append(" Read a file again if you need its content.]\nDecisions and actions so far, oldest first");
        if (decisions.size() == MAX_DECISIONS) {
            sb.append(" (older ones dropped)");
        }
        sb.append(':');
        for (String d : decisions) {
            sb.append("\n- ").append(d);
        }
        sb.append("\nOpen problems (commands that failed and have not succeeded since):");
        if (problems.isEmpty()) {
            sb.append(" none");
        }
        for (String p : problems.values()) {
            sb.append("\n- ").append(p);
        }
        return sb.toString();
    }

    private static String text(ChatMessage m) {
        if (m instanceof SystemMessage s) {
            return s.text();
        }
        if (m instanceof UserMessage u) {
            return u.hasSingleText() ? u.singleText() : u.contents().toString();
        }
        if (m instanceof AiMessage ai) {
            StringBuilder sb = new StringBuilder(ai.text() == null ? "" : ai.text());
            if (ai.hasToolExecutionRequests()) {
                for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                    sb.append(call.name()).append(call.arguments());
                }
            }
            return sb.toString();
        }
        if (m instanceof ToolExecutionResultMessage r) {
            return r.text() == null ? "" : r.text();
        }
        return m.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static String oneLine(String s) {
        return s == null ? "" : ProviderProblem.oneLine(s);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
