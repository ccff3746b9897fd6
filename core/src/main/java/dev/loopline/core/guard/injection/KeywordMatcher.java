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

    /** node * 128 + c -> next node (full DFA for ASCII), with {@link #HAS_OUTPUT} set when it ends a keyword. */
    private final int[] asciiNext;

    /** Open-addressing table of goto edges on non-ASCII characters: key (node << 16 | c) -> node. */
    private final long[] otherKeys;

    private final int[] otherValues;
    private final int otherMask;
    private final int[] fail;
    private final int[][] outputs; // keyword ids ending at a node, including those reached by failure links
    private final int[] keywordLength;

    KeywordMatcher(List<String> keywords) {
        List<int[]> asciiEdges = new ArrayList<>();
        Map<Long, Integer> other = new HashMap<>();
        List<List<Integer>> out = new ArrayList<>();
        asciiEdges.add(newRow());
        out.add(new ArrayList<>(1));
        keywordLength = new int[keywords.size()];
        for (int k = 0; k < keywords.size(); k++) {
            String w = keywords.get(k);
            keywordLength[k] = w.length();
            int node = 0;
            for (int i = 0; i < w.length(); i++) {
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
            out.get(node).add(k);
        }
        int nodes = asciiEdges.size();
        fail = new int[nodes];
        asciiNext = new int[nodes * ASCII];
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
        int[] dfa = asciiNext;
        for (int i = 0; i < length; i++) {
            char c = text[i];
            if (c < ASCII) {
                int next = dfa[(node << 7) + c];
                node = next & NODE;
                if (next >= 0) {
                    continue;
                }
            } else {
                node = stepOther(node, c);
                if (outputs[node].length == 0) {
                    continue;
                }
            }
            for (int k : outputs[node]) {
                sink.hit(k, i + 1);
            }
        }
    }

    int length(int keyword) {
        return keywordLength[keyword];
    }
}
