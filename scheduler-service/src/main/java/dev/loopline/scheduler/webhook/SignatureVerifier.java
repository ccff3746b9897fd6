package dev.loopline.scheduler.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a delivery comes from the configured sender. Every comparison runs in constant time
 * ({@link MessageDigest#isEqual}); a missing, malformed or wrong signature all give the same {@code false}.
 */
public final class SignatureVerifier {

    static final String GITHUB_PREFIX = "sha256=";
    private static final String HMAC = "HmacSHA256";
    private static final int SHA256_HEX_LENGTH = 64;

    private SignatureVerifier() {}

    /**
     * GitHub: {@code X-Hub-Signature-256: sha256=<hex>} is the HMAC-SHA256 of the raw body keyed with the
     * webhook secret.
     */
    public static boolean githubSignatureValid(String secret, byte[] rawBody, String signatureHeader) {
        if (secret == null || secret.isEmpty() || rawBody == null || signatureHeader == null) {
            return false;
        }
        String header = signatureHeader.trim();
        if (!header.startsWith(GITHUB_PREFIX) || header.length() != GITHUB_PREFIX.length() + SHA256_HEX_LENGTH) {
            return false;
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(header, GITHUB_PREFIX.length(), header.length());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmacSha256(secret, rawBody), presented);
    }

    /**
     * GitLab: {@code X-Gitlab-Token} is the secret token itself. Both sides are hashed first so the comparison
     * takes the same time whatever the presented token's length.
     */
    public static boolean gitlabTokenValid(String secret, String tokenHeader) {
        if (secret == null || secret.isEmpty() || tokenHeader == null) {
            return false;
        }
        return MessageDigest.isEqual(
                sha256(secret.getBytes(StandardCharsets.UTF_8)), sha256(tokenHeader.getBytes(StandardCharsets.UTF_8)));
    }

    /** HMAC-SHA256 of {@code body} keyed with {@code secret}, as GitHub computes it. */
    public static byte[] hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** SHA-256 of {@code bytes}. */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
