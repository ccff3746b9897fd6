package dev.loopline.gate.chat;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signing, version {@code v0}: {@code X-Slack-Signature: v0=<hex>} is the HMAC-SHA256, keyed with the
 * app's signing secret, of {@code v0:<X-Slack-Request-Timestamp>:<raw body>}; a timestamp more than five minutes
 * away from now is refused so a captured request cannot be replayed later. Comparisons run in constant time.
 */
public final class SlackSignature {

    /** Why a request is refused, or {@code VALID}. */
    public enum Check {
        VALID,
        /** No signature or no timestamp header. */
        UNSIGNED,
        /** The timestamp is not a number or lies outside the window. */
        STALE,
        /** The signature does not match the body and timestamp. */
        FORGED
    }

    static final String VERSION = "v0";
    private static final String PREFIX = VERSION + "=";
    private static final String HMAC = "HmacSHA256";
    private static final int SHA256_HEX_LENGTH = 64;

    private SlackSignature() {}

    public static Check verify(
            String secret,
            String timestampHeader,
            String signatureHeader,
            byte[] rawBody,
            Instant now,
            Duration window) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("no signing secret: refuse before verifying");
        }
        if (timestampHeader == null || signatureHeader == null || timestampHeader.isBlank()) {
            return Check.UNSIGNED;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.strip());
        } catch (NumberFormatException e) {
            return Check.STALE;
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > window.toSeconds()) {
            return Check.STALE;
        }
        String header = signatureHeader.strip();
        if (!header.startsWith(PREFIX) || header.length() != PREFIX.length() + SHA256_HEX_LENGTH) {
            return Check.FORGED;
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(header, PREFIX.length(), header.length());
        } catch (IllegalArgumentException e) {
            return Check.FORGED;
        }
        byte[] expected = hmac(secret, timestampHeader.strip(), rawBody == null ? new byte[0] : rawBody);
        return MessageDigest.isEqual(expected, presented) ? Check.VALID : Check.FORGED;
    }

    /** The {@code X-Slack-Signature} value Slack sends for this timestamp and body. */
    public static String sign(String secret, String timestamp, byte[] rawBody) {
        return PREFIX + HexFormat.of().formatHex(hmac(secret, timestamp, rawBody));
    }

    /** HMAC-SHA256 keyed with {@code secret} of {@code <version>:<timestamp>:<body>}, the body's bytes untouched. */
    static byte[] hmac(String secret, String version, String timestamp, byte[] rawBody) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
            mac.update((version + ":" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(rawBody);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] hmac(String secret, String timestamp, byte[] rawBody) {
        return hmac(secret, VERSION, timestamp, rawBody);
    }
}
