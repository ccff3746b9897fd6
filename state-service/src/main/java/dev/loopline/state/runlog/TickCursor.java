package dev.loopline.state.runlog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

/**
 * A keyset position in the newest-first tick listing: the last row shown. Clients see it only as an opaque
 * string, so its format may change.
 */
public record TickCursor(Instant startedAt, String tickId) {

    private static final String VERSION = "v1";

    public static TickCursor after(TickEntity tick) {
        return new TickCursor(tick.startedAt, tick.tickId);
    }

    public String encode() {
        String plain = VERSION + '|' + startedAt + '|' + tickId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the cursor, or empty when {@code token} is not one this service issued */
    public static Optional<TickCursor> decode(String token) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\|", 3);
            if (parts.length != 3 || !VERSION.equals(parts[0]) || parts[2].isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new TickCursor(Instant.parse(parts[1]), parts[2]));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
