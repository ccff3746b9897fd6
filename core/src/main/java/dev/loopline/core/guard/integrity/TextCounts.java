package dev.loopline.core.guard.integrity;

/**
 * How often each trimmed line text occurs: open addressing over the strings' cached hash codes with plain
 * {@code int} counts, sized once for the lines of one file. Replaces a {@code HashMap<String, Integer>} on
 * the scanner's hottest loop.
 */
final class TextCounts {

    private final String[] keys;
    private final int[] counts;
    private final int mask;
    private int size;

    /** @param maxKeys an upper bound on the number of additions */
    TextCounts(int maxKeys) {
        int capacity = Integer.highestOneBit(Math.max(4, maxKeys) * 2 - 1) << 1;
        keys = new String[capacity];
        counts = new int[capacity];
        mask = capacity - 1;
    }

    void add(String key) {
        int i = slot(key);
        if (keys[i] == null) {
            keys[i] = key;
        }
        counts[i]++;
        size++;
    }

    /** Takes one occurrence of a non-empty {@code key}; false when there is none left. */
    boolean consume(String key) {
        if (size == 0 || key.isEmpty()) {
            return false; // nothing to take: the key need not be hashed
        }
        int i = slot(key);
        if (keys[i] == null || counts[i] == 0) {
            return false;
        }
        counts[i]--;
        return true;
    }

    private int slot(String key) {
        int h = key.hashCode();
        int i = (h ^ (h >>> 16)) & mask;
        while (keys[i] != null && !keys[i].equals(key)) {
            i = (i + 1) & mask;
        }
        return i;
    }
}
