package dev.loopline.gate.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where each approval request's Slack message is ({@code slack_message}, {@code db/migration/V2__slack_messages.sql}),
 * in the database every gate replica shares: the replica that decides a request updates the message another replica
 * posted. Failures are {@link IllegalStateException}s naming the request; the caller decides what they cost.
 */
public class SlackMessageRepository {

    /** A request's message: a channel id and a message timestamp. */
    public record Posted(String channel, String ts) {}

    private final DataSource dataSource;

    public SlackMessageRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records where the message of {@code approvalId} is; the first record wins, a repeat changes nothing. */
    public void remember(String approvalId, Posted posted) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("INSERT INTO slack_message (approval_id, channel, ts)"
                        + " VALUES (?, ?, ?) ON CONFLICT (approval_id) DO NOTHING")) {
            st.setString(1, approvalId);
            st.setString(2, posted.channel());
            st.setString(3, posted.ts());
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot record the Slack message of request " + approvalId + ": " + e.getMessage(), e);
        }
    }

    /** Where the message of {@code approvalId} is, if one was recorded. */
    public Optional<Posted> find(String approvalId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st =
                        c.prepareStatement("SELECT channel, ts FROM slack_message WHERE approval_id = ?")) {
            st.setString(1, approvalId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Posted(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read the Slack message of request " + approvalId + ": " + e.getMessage(), e);
        }
    }
}
