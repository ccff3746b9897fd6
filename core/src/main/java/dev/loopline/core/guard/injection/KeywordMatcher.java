package dev.loopline.core.guard.injection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Aho–Corasick automaton over folded keywords: one pass over the text finds every keyword occurrence in time
 * linear in the text plus the matches. ASCII transitions are a dense precomputed table; other characters fall
 * back to failure links over a hash map. Immutable after construction.
 */
final class KeywordMatcher {
    private static final int ASCII = 128;

    private static final int HAS_OUTPUT = 0x80000000;
    private static final int NODE = 0x7fffffff;

    /**
     * (node << shift) + class of c -> next node (full DFA for ASCII), with {@link #HAS_OUTPUT} set when it ends a
     * keyword. ASCII characters that occur in no keyword share class 0 (they lead every state to the root), so a
     * row has one column per keyword character rather than 128: the table is half the size and stays in cache.
     */
    private final int[] compact;

    private final byte[] asciiClass = new byte[ASCII];
    private final int shift;

    /** Open-addressing table of goto edges on non-ASCII characters: key (node << 16 | c) -> node. */
    private final long[] otherKeys;

    private final int[] otherValues;
    /**
     * Bit set of the non-ASCII characters that occur in some keyword. Any other character leads every state back
     * to the root, which spares Chinese, Japanese and Cyrillic prose the walk down the failure links.
     */
    private final long[] otherInKeyword = new long[65536 / 64];

    private final int otherMask;
    private final int[] fail;
    private final int[][] outputs; // keyword ids ending at a node, including those reached by failure links
    private final int[] keywordLength;
    /** Nodes with a row in {@link #compact}: the ASCII-reached ones, or all when the table keeps the identity. */
    private final int denseNodes;
    /** Nodes below this are reached from the root by ASCII characters alone; only they have dense rows. */
    private int asciiNodes;

    KeywordMatcher(List<String> keywords) {
        List<int[]> asciiEdges = new ArrayList<>();
        Map<Long, Integer> other = new HashMap<>();
        List<List<Integer>> out = new ArrayList<>();
        asciiEdges.add(newRow());
        out.add(new ArrayList<>(1));
        keywordLength = new int[keywords.size()];
        for (String w : keywords) {
            for (int i = 0; i < w.length(); i++) {
                char c = w.charAt(i);
                if (c >= ASCII) {
                    otherInKeyword[c >>> 6] |= 1L << c;
                }
            }
        }
        // Insert ASCII keywords and the ASCII prefixes of the others first, so that the nodes reached by ASCII
        // text alone are numbered 0..asciiNodes-1 and only they need rows in the dense table.
        for (int phase = 0; phase < 3; phase++) {
            for (int k = 0; k < keywords.size(); k++) {
                String w = keywords.get(k);
                keywordLength[k] = w.length();
                int firstOther = 0;
                while (firstOther < w.length() && w.charAt(firstOther) < ASCII) {
                    firstOther++;
                }
                boolean ascii = firstOther == w.length();
                if ((phase == 0 && !ascii) || (phase > 0 && ascii)) {
                    continue;
                }
                int end = phase == 1 ? firstOther : w.length();
                int node = 0;
                for (int i = 0; i < end; i++) {
                    char c = w.charAt(i);
                    int next = c < ASCII ? asciiEdges.get(node)[c] : other.getOrDefault(key(node, c), -1);
                    if (next < 0) {
                        next = asciiEdges.size();
                        asciiEdges.add(newRow());
                        out.add(new ArrayList<>(1));
                        if (c < ASCII) {
                            asciiEdges.get(node)[c] = next;
                        } else {
                            other.put(key(node, c), next);
                        }
                    }
                    node = next;
                }
                if (phase != 1) {
                    out.get(node).add(k);
                }
            }
            if (phase == 1) {
                asciiNodes = asciiEdges.size();
            }
        }
        int nodes = asciiEdges.size();
        fail = new int[nodes];
        int[] asciiNext = new int[nodes * ASCII];
        // children lists for the breadth-first pass over non-ASCII edges
        Map<Integer, List<long[]>> otherChildren = new HashMap<>();
        for (Map.Entry<Long, Integer> e : other.entrySet()) {
            int parent = (int) (e.getKey() >>> 16);
            otherChildren
                    .computeIfAbsent(parent, p -> new ArrayList<>())
                    .add(new long[] {e.getKey() & 0xFFFF, e.getValue()});
        }
        int[] queue = new int[nodes];
        int head = 0;
        int tail = 0;
        for (int c = 0; c < ASCII; c++) {
            int child = asciiEdges.get(0)[c];
            asciiNext[c] = Math.max(child, 0);
            if (child > 0) {
                fail[child] = 0;
                queue[tail++] = child;
            }
        }
        for (long[] edge : otherChildren.getOrDefault(0, List.of())) {
            int child = (int) edge[1];
            fail[child] = 0;
            queue[tail++] = child;
        }
        while (head < tail) {
            int node = queue[head++];
            List<Integer> o = out.get(node);
            for (int k : out.get(fail[node])) {
                if (!o.contains(k)) {
                    o.add(k);
                }
            }
            for (int c = 0; c < ASCII; c++) {
                int child = asciiEdges.get(node)[c];
                if (child > 0) {
                    fail[child] = asciiNext[fail[node] * ASCII + c];
                    asciiNext[node * ASCII + c] = child;
                    queue[tail++] = child;
                } else {
                    asciiNext[node * ASCII + c] = asciiNext[fail[node] * ASCII + c];
                }
            }
            for (long[] edge : otherChildren.getOrDefault(node, List.of())) {
                int child = (int) edge[1];
                fail[child] = stepOther(fail[node], (char) edge[0], other);
                queue[tail++] = child;
            }
        }
        for (int node = asciiNodes; node < nodes; node++) {
            int[] row = asciiEdges.get(node);
            for (int c = 0; c < ASCII; c++) {
                if (row[c] > 0) {
                    other.put(key(node, (char) c), row[c]);
                }
            }
        }
        int capacity = Integer.highestOneBit(Math.max(16, other.size() * 4 - 1)) << 1;
        otherKeys = new long[capacity];
        otherValues = new int[capacity];
        otherMask = capacity - 1;
        for (Map.Entry<Long, Integer> e : other.entrySet()) {
            int slot = slot(e.getKey());
            while (otherKeys[slot] != 0) {
                slot = (slot + 1) & otherMask;
            }
            otherKeys[slot] = e.getKey();
            otherValues[slot] = e.getValue();
        }
        outputs = new int[nodes][];
        for (int i = 0; i < nodes; i++) {
            outputs[i] = out.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        for (int i = 0; i < asciiNext.length; i++) {
            if (outputs[asciiNext[i]].length > 0) {
                asciiNext[i] |= HAS_OUTPUT;
            }
        }
        // compress the columns to character classes
        boolean[] used = new boolean[ASCII];
        for (String w : keywords) {
            for (int i = 0; i < w.length(); i++) {
                if (w.charAt(i) < ASCII) {
                    used[w.charAt(i)] = true;
                }
            }
        }
        int classes = 1;
        int unused = -1;
        int[] representative = new int[ASCII];
        for (int c = 0; c < ASCII; c++) {
            if (used[c] && classes < ASCII) {
                asciiClass[c] = (byte) classes;
                representative[classes++] = c;
            } else if (unused < 0) {
                unused = c;
            }
        }
        representative[0] = Math.max(unused, 0);
        int bits = 32 - Integer.numberOfLeadingZeros(classes - 1);
        if (unused < 0 || bits >= 7) {
            // every ASCII character is a keyword character: keep the identity
            for (int c = 0; c < ASCII; c++) {
                asciiClass[c] = (byte) c;
            }
            shift = 7;
            compact = asciiNext;
        } else {
            shift = bits;
            compact = new int[asciiNodes << shift];
            for (int node = 0; node < asciiNodes; node++) {
                for (int k = 0; k < classes; k++) {
                    compact[(node << shift) + k] = asciiNext[node * ASCII + representative[k]];
                }
            }
        }
        denseNodes = shift == 7 ? Integer.MAX_VALUE : asciiNodes;
    }

    private static int[] newRow() {
        int[] row = new int[ASCII];
        Arrays.fill(row, -1);
        return row;
    }

    private static long key(int node, char c) {
        return ((long) node << 16) | c;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & otherMask;
    }

    /** Build-time transition on a non-ASCII character, through failure links. */
    private int stepOther(int node, char c, Map<Long, Integer> other) {
        while (true) {
            Integer next = other.get(key(node, c));
            if (next != null) {
                return next;
            }
            if (node == 0) {
                return 0;
            }
            node = fail[node];
        }
    }

    /** Scan-time transition on an ASCII character from a node that has no dense row, through failure links. */
    private int stepAscii(int node, char c) {
        while (node >= asciiNodes) {
            long k = key(node, c);
            int slot = slot(k);
            while (true) {
                long found = otherKeys[slot];
                if (found == k) {
                    return otherValues[slot];
                }
                if (found == 0) {
                    break;
                }
                slot = (slot + 1) & otherMask;
            }
            node = fail[node];
        }
        return compact[(node << shift) + asciiClass[c]] & NODE;
    }

    /** Scan-time transition on a non-ASCII character, through failure links. */
    private int stepOther(int node, char c) {
        long[] keys = otherKeys;
        while (true) {
            long k = key(node, c);
            int slot = slot(k);
            while (true) {
                long found = keys[slot];
                if (found == k) {
                    return otherValues[slot];
                }
                if (found == 0) {
                    break;
                }
                slot = (slot + 1) & otherMask;
            }
            if (node == 0) {
                return 0;
            }
            node = fail[node];
        }
    }

    /** Receives each occurrence: keyword id and the end index (exclusive) in the text. */
    interface Sink {
        void hit(int keyword, int end);
    }

    void scan(char[] text, int length, Sink sink) {
        int node = 0;
        for (int i = 0; i < length; i++) {
            int next = next(node, text[i]);
            node = next & NODE;
            if (next < 0) {
                for (int k : outputs[node]) {
                    sink.hit(k, i + 1);
                }
            }
        }
    }

    /** The state after {@code c}, with {@link #HAS_OUTPUT} set when a keyword ends there. */
    private int next(int node, char c) {
        if (c < ASCII) {
            if (node < denseNodes) {
                return compact[(node << shift) + asciiClass[c]];
            }
            return withOutputFlag(stepAscii(node, c));
        }
        if ((otherInKeyword[c >>> 6] & (1L << c)) == 0) {
            return 0;
        }
        return withOutputFlag(stepOther(node, c));
    }

    private int withOutputFlag(int node) {
        return outputs[node].length == 0 ? node : node | HAS_OUTPUT;
    }

    int length(int keyword) {
        return keywordLength[keyword];
    }
}
