package dev.loopline.state.auth;

import dev.loopline.state.budget.BudgetRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/** API tokens by hash; the plaintext of a token is never stored. */
@ApplicationScoped
public class ApiTokenRepository {

    private static final String COLUMNS =
            "id, name, role, team, expires_at, revoked, revoked_at, created_by, created_at";

    @Inject
    EntityManager em;

    /** A token as stored, without its hash. */
    public record TokenRow(
            UUID id,
            String name,
            String role,
            String team,
            Instant expiresAt,
            boolean revoked,
            Instant revokedAt,
            String createdBy,
            Instant createdAt) {}

    /** Inserts the token unless its name is taken; returns whether it was inserted. */
    public boolean insert(TokenRow token, String hash) {
        return em.createNativeQuery(
                                """
                                INSERT INTO api_token (id, name, token_hash, role, team, expires_at, created_by, created_at)
                                VALUES (:id, :name, :hash, :role, :team, :expiresAt, :createdBy, :createdAt)
                                ON CONFLICT (name) DO NOTHING
                                """)
                        .setParameter("id", token.id())
                        .setParameter("name", token.name())
                        .setParameter("hash", hash)
                        .setParameter("role", token.role())
                        .setParameter("team", new TypedParameterValue<>(StandardBasicTypes.STRING, token.team()))
                        .setParameter("expiresAt", token.expiresAt())
                        .setParameter("createdBy", token.createdBy())
                        .setParameter("createdAt", token.createdAt())
                        .executeUpdate()
                == 1;
    }

    public Optional<TokenRow> byHash(String hash) {
        return one(em.createNativeQuery("SELECT " + COLUMNS + " FROM api_token WHERE token_hash = :hash")
                .setParameter("hash", hash)
                .getResultList());
    }

    public Optional<TokenRow> byId(UUID id) {
        return one(em.createNativeQuery("SELECT " + COLUMNS + " FROM api_token WHERE id = :id")
                .setParameter("id", id)
                .getResultList());
    }

    public List<TokenRow> all() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT " + COLUMNS + " FROM api_token ORDER BY created_at, name")
                .getResultList();
        return rows.stream().map(ApiTokenRepository::row).toList();
    }

    /** Revokes the token unless it already is; the first revocation time is kept. */
    public void revoke(UUID id, Instant at) {
        em.createNativeQuery("UPDATE api_token SET revoked = true, revoked_at = :at WHERE id = :id AND NOT revoked")
                .setParameter("at", at)
                .setParameter("id", id)
                .executeUpdate();
    }

    @SuppressWarnings("unchecked")
    private static Optional<TokenRow> one(List<?> rows) {
        return ((List<Object[]>) rows).stream().findFirst().map(ApiTokenRepository::row);
    }

    private static TokenRow row(Object[] r) {
        return new TokenRow(
                (UUID) r[0],
                (String) r[1],
                (String) r[2],
                (String) r[3],
                BudgetRepository.toInstant(r[4]),
                (Boolean) r[5],
                r[6] == null ? null : BudgetRepository.toInstant(r[6]),
                (String) r[7],
                BudgetRepository.toInstant(r[8]));
    }
}
