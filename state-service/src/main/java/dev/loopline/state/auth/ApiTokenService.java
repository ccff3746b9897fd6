package dev.loopline.state.auth;

import dev.loopline.core.auth.Caller;
import dev.loopline.core.auth.Role;
import dev.loopline.state.auth.ApiTokenRepository.TokenRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Named API tokens with a role. A token is 256 random bits; only its SHA-256 is stored (a salt adds nothing
 * for a secret of that entropy), so a database dump reveals no usable token. The plaintext exists once, in
 * the answer to its creation.
 */
@ApplicationScoped
public class ApiTokenService {

    /** Prefix of every issued token, so leaked ones are easy to recognise (secret scanners, logs). */
    public static final String PREFIX = "llt_";

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    ApiTokenRepository tokens;

    @Inject
    Clock clock;

    /** A freshly created token: its stored form and, this once, its plaintext. */
    public record Issued(TokenRow token, String plaintext) {}

    /** The name is already used by another token (revoked ones included: names identify actors in the log). */
    public static class NameTakenException extends RuntimeException {
        public NameTakenException(String name) {
            super("A token named '" + name + "' exists already");
        }
    }

    @Transactional
    public Issued create(String name, Role role, String team, Instant expiresAt, String createdBy) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String plaintext = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        TokenRow row = new TokenRow(
                UUID.randomUUID(), name, role.wireName(), team, expiresAt, false, null, createdBy, clock.instant());
        if (!tokens.insert(row, hash(plaintext))) {
            throw new NameTakenException(name);
        }
        return new Issued(row, plaintext);
    }

    @Transactional
    public List<TokenRow> list() {
        return tokens.all();
    }

    /** Revokes a token; idempotent. Empty when there is no such token. */
    @Transactional
    public Optional<TokenRow> revoke(UUID id) {
        tokens.revoke(id, clock.instant());
        return tokens.byId(id);
    }

    /** The caller a presented token stands for, if it is known, unexpired and not revoked. */
    @Transactional
    public Optional<Caller> authenticate(String presented) {
        if (presented == null || !presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return tokens.byHash(hash(presented))
                .filter(t -> !t.revoked() && t.expiresAt().isAfter(now))
                .map(t -> new Caller(t.name(), Role.fromWireName(t.role()).orElseThrow(), t.team(), false));
    }

    static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
