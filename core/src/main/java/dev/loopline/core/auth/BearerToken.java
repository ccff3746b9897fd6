package dev.loopline.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks an HTTP {@code Authorization} header against the configured service token in constant time. */
public final class BearerToken {

    private static final String PREFIX = "Bearer ";

    private BearerToken() {}

    /**
     * @return true only when {@code header} is {@code Bearer <expected>}; false for a missing header, another
     *     scheme, or an unconfigured (blank) expected token, so a service without a token refuses everyone.
     */
    public static boolean matches(String header, String expected) {
        if (header == null || expected == null || expected.isBlank() || !header.startsWith(PREFIX)) {
            return false;
        }
        byte[] given = header.substring(PREFIX.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8));
    }
}
