package dev.loopline.gate.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the signatures of the Slack requests this replica accepted for as long as their timestamp is inside the
 * window, so the same signed request sent twice is refused the second time. Older requests are refused as stale
 * anyway, so nothing needs remembering longer. Per replica: a copy replayed to another replica reaches the decision,
 * where {@code ApprovalDecisions} counts one person's vote once.
 */
public final class SlackReplayGuard {

    private static final int MAX_ENTRIES = 100_000;

    private final Duration window;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    public SlackReplayGuard(Duration window) {
        this.window = window;
    }

    /** Records {@code signature}; true the first time it is seen inside the window, false for a replay. */
    public boolean firstSeen(String signature, Instant now) {
        if (seen.size() >= MAX_ENTRIES / 2) {
            evictBefore(now);
        }
        if (seen.size() >= MAX_ENTRIES) {
            // a flood of validly signed requests: refusing is safer than forgetting
            return false;
        }
        Instant until = now.plus(window).plus(window);
        // hex is case-insensitive: an upper-cased copy of a signature is the same signature
        return seen.putIfAbsent(signature.strip().toLowerCase(java.util.Locale.ROOT), until) == null;
    }

    private void evictBefore(Instant now) {
        for (Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().isBefore(now)) {
                it.remove();
            }
        }
    }
}
