package dev.loopline.scheduler.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The deliveries already accepted, in Postgres so every scheduler replica sees them: table {@code
 * webhook_delivery} (migration {@code V2__webhook_deliveries.sql}). A delivery is accepted once per (source,
 * delivery id) and once per (source, body hash): GitHub and GitLab do not sign the delivery id header, so a
 * captured body replayed under a fresh id is recognised by its hash.
 */
@ApplicationScoped
public class WebhookDeliveryRepository {

    /** An earlier delivery that the new one repeats. */
    public record Earlier(String deliveryId, Instant receivedAt, boolean sameId) {}

    private static final String INSERT = "INSERT INTO webhook_delivery (source, delivery_id, body_sha256, received_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String EARLIER = "SELECT delivery_id, received_at FROM webhook_delivery"
            + " WHERE source = ? AND (delivery_id = ? OR body_sha256 = ?)"
            + " ORDER BY (delivery_id = ?) DESC LIMIT 1";
    private static final String PRUNE = "DELETE FROM webhook_delivery WHERE received_at < ?";

    private final DataSource dataSource;

    public WebhookDeliveryRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records a delivery unless it was seen before (atomically, across replicas).
     *
     * @return empty when this is the first time; else the earlier delivery it repeats
     */
    public Optional<Earlier> recordFirst(String source, String deliveryId, String bodySha256, Instant receivedAt) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            // a row pruned between the insert and the look-up: try the insert once more
            for (int attempt = 0; attempt < 2; attempt++) {
                try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                    insert.setString(1, source);
                    insert.setString(2, deliveryId);
                    insert.setString(3, bodySha256);
                    insert.setTimestamp(4, Timestamp.from(receivedAt));
                    if (insert.executeUpdate() == 1) {
                        return Optional.empty();
                    }
                }
                try (PreparedStatement earlier = c.prepareStatement(EARLIER)) {
                    earlier.setString(1, source);
                    earlier.setString(2, deliveryId);
                    earlier.setString(3, bodySha256);
                    earlier.setString(4, deliveryId);
                    try (ResultSet rs = earlier.executeQuery()) {
                        if (rs.next()) {
                            String id = rs.getString(1);
                            return Optional.of(
                                    new Earlier(id, rs.getTimestamp(2).toInstant(), id.equals(deliveryId)));
                        }
                    }
                }
            }
            throw new IllegalStateException("delivery " + deliveryId + " neither recorded nor found");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record webhook delivery: " + e.getMessage(), e);
        }
    }

    /** Deletes deliveries received before {@code cutoff}; returns how many. */
    public int pruneBefore(Instant cutoff) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement prune = c.prepareStatement(PRUNE)) {
            prune.setTimestamp(1, Timestamp.from(cutoff));
            return prune.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prune webhook deliveries: " + e.getMessage(), e);
        }
    }
}
