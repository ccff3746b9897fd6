package dev.loopline.makers.llm;

/**
 * Reasoning models served through OpenAI-compatible endpoints put their chain of thought in the answer between
 * {@code <think>} and {@code </think>}; it is not the summary. An unclosed block (the answer was cut off while
 * thinking) is dropped to the end.
 */
final class ThinkBlocks {

    private static final String OPEN = "<think>";
    private static final String CLOSE = "</think>";

    private ThinkBlocks() {}

    static String strip(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder kept = new StringBuilder(text.length());
        int from = 0;
        while (true) {
            int open = text.indexOf(OPEN, from);
            // a close tag without an open one (the server cut the opening off) ends a block that began at the start
            int strayClose = from == 0 ? text.indexOf(CLOSE) : -1;
            if (strayClose >= 0 && (open < 0 || strayClose < open)) {
                from = strayClose + CLOSE.length();
                continue;
            }
            if (open < 0) {
                kept.append(text, from, text.length());
                break;
            }
            kept.append(text, from, open);
            int close = text.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                break;
            }
            from = close + CLOSE.length();
        }
        return kept.toString().strip();
    }
}
