package dev.loopline.core.diff;

import java.util.List;

/** One {@code @@ -oldStart,oldCount +newStart,newCount @@} block and its lines. */
public record Hunk(int oldStart, int oldCount, int newStart, int newCount, String section, List<Line> lines) {

    public Hunk {
        section = section == null ? "" : section;
        // the parser's own list is already unmodifiable and never changes; anything else is copied
        lines = lines instanceof ParsedLines ? lines : List.copyOf(lines);
    }

    public int addedLines() {
        int n = 0;
        for (Line l : lines) {
            if (l.kind() == Line.Kind.ADDED) {
                n++;
            }
        }
        return n;
    }

    public int removedLines() {
        int n = 0;
        for (Line l : lines) {
            if (l.kind() == Line.Kind.REMOVED) {
                n++;
            }
        }
        return n;
    }
}
