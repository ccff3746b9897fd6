package dev.loopline.state.runlog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * What one tick cost, read from the budget ledger: the sum of the USD cost of its settled holds. The agent names every
 * hold after its tick ({@code tick:<tickId>:attempt:<n>:call:<n>}); a tick whose model has no configured prices has
 * no cost, only tokens.
 */
@ApplicationScoped
public class TickCost {

    @Inject
    EntityManager em;

    /** The USD the tick's settled holds cost; empty when none was priced. */
    public Optional<BigDecimal> usd(String tickId) {
        Object sum = em.createNativeQuery(
                        """
                        SELECT SUM(cost_usd) FROM budget_reservation
                         WHERE idempotency_key LIKE 'tick:%'
                           AND split_part(idempotency_key, ':attempt:', 1) = :key
                           AND status = 'settled'
                        """)
                .setParameter("key", "tick:" + tickId)
                .getSingleResult();
        return Optional.ofNullable((BigDecimal) sum).map(BigDecimal::stripTrailingZeros);
    }
}
