package dev.loopline.core.diff;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The lines of one parsed hunk: an unmodifiable list over the parser's own array, so {@link Hunk} need not
 * copy every hunk's lines a second time (that copy was a tenth of the scan time on large diffs). Only {@link
 * DiffParser} creates it, and it never touches the array afterwards.
 */
final class ParsedLines extends AbstractList<Line> implements RandomAccess {

    private Line[] items;
    private int size;

    ParsedLines(int capacity) {
        items = new Line[Math.max(4, capacity)];
    }

    /** Parser-only, before the list is handed to a {@link Hunk}. */
    void append(Line line) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = line;
    }

    @Override
    public Line get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return items[index];
    }

    @Override
    public int size() {
        return size;
    }
}
