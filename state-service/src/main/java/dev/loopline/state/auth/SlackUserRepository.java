package dev.loopline.state.auth;

import dev.loopline.state.budget.BudgetRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/** Which Loopline user a Slack user acts as when approving from Slack; one row per (Slack workspace, Slack user). */
@ApplicationScoped
public class SlackUserRepository {

    private static final String COLUMNS = "slack_team_id, slack_user_id, user_name, role, team, created_by, created_at";

    @Inject
    EntityManager em;

    /** A mapping as stored. */
    public record SlackUserRow(
            String slackTeamId,
            String slackUserId,
            String user,
            String role,
            String team,
            String createdBy,
            Instant createdAt) {}

    /** Creates or replaces the mapping of that Slack user. */
    @Transactional
    public SlackUserRow put(SlackUserRow row) {
        em.createNativeQuery(
                        """
                        INSERT INTO slack_user (slack_team_id, slack_user_id, user_name, role, team, created_by, created_at)
                        VALUES (:teamId, :userId, :user, :role, :team, :createdBy, :createdAt)
                        ON CONFLICT (slack_team_id, slack_user_id) DO UPDATE SET user_name = EXCLUDED.user_name,
                            role = EXCLUDED.role, team = EXCLUDED.team, created_by = EXCLUDED.created_by,
                            created_at = EXCLUDED.created_at
                        """)
                .setParameter("teamId", row.slackTeamId())
                .setParameter("userId", row.slackUserId())
                .setParameter("user", row.user())
                .setParameter("role", row.role())
                .setParameter("team", new TypedParameterValue<>(StandardBasicTypes.STRING, row.team()))
                .setParameter("createdBy", row.createdBy())
                .setParameter("createdAt", row.createdAt())
                .executeUpdate();
        return row;
    }

    @Transactional
    public Optional<SlackUserRow> find(String slackTeamId, String slackUserId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT " + COLUMNS
                        + " FROM slack_user WHERE slack_team_id = :teamId AND slack_user_id = :userId")
                .setParameter("teamId", slackTeamId)
                .setParameter("userId", slackUserId)
                .getResultList();
        return rows.stream().findFirst().map(SlackUserRepository::row);
    }

    @Transactional
    public List<SlackUserRow> all() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT " + COLUMNS + " FROM slack_user ORDER BY slack_team_id, slack_user_id")
                .getResultList();
        return rows.stream().map(SlackUserRepository::row).toList();
    }

    /** Removes the mapping; returns whether there was one. */
    @Transactional
    public boolean delete(String slackTeamId, String slackUserId) {
        return em.createNativeQuery("DELETE FROM slack_user WHERE slack_team_id = :teamId AND slack_user_id = :userId")
                        .setParameter("teamId", slackTeamId)
                        .setParameter("userId", slackUserId)
                        .executeUpdate()
                == 1;
    }

    private static SlackUserRow row(Object[] r) {
        return new SlackUserRow(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                (String) r[3],
                (String) r[4],
                (String) r[5],
                BudgetRepository.toInstant(r[6]));
    }
}
