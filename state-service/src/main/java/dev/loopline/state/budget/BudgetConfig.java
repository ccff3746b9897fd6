package dev.loopline.state.budget;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Token and money budget: default daily caps per scope (a cap set through {@code PUT /api/v1/budget/caps} wins), the
 * time zone a team's day is counted in, and hold lifetimes.
 */
@ConfigMapping(prefix = "loopline.budget")
public interface BudgetConfig {

    Caps caps();

    /**
     * Daily USD caps ({@code loopline.budget.money-caps.global}, {@code .team.<id>}, {@code .loop.<id>}); a USD cap set
     * through {@code PUT /api/v1/budget/caps} wins. A reservation charging a money-capped scope must name a priced
     * model ({@link #prices()}).
     */
    MoneyCaps moneyCaps();

    /** The time zone of a team's budget day, per team id; others use {@link #defaultTimeZone()}. */
    Map<String, String> teamTimeZones();

    @WithDefault("UTC")
    String defaultTimeZone();

    /** TTL of a hold when the request names none. */
    @WithDefault("PT5M")
    Duration defaultTtl();

    /** Longest TTL a hold may ask for. */
    @WithDefault("PT1H")
    Duration maxTtl();

    /** How often expired holds are marked expired (they stop counting at expiry regardless). */
    @WithDefault("30s")
    String sweepInterval();

    /** Where threshold crossings are also POSTed as JSON (a chat or paging bridge); none when absent. */
    Optional<java.net.URI> webhookUrl();

    /** How long the webhook may take to answer before the attempt counts as failed. */
    @WithDefault("PT5S")
    Duration webhookTimeout();

    /** How often crossings that could not be published (broker down) are published again. */
    @WithDefault("30s")
    String alertRetryInterval();

    /**
     * USD prices per model name, per million tokens: {@code loopline.budget.prices.<model>.input-per-mtok} and {@code
     * .output-per-mtok} (a model name with dots is quoted: {@code loopline.budget.prices."gpt-4.1".input-per-mtok}).
     * A settlement naming a priced model records its cost.
     */
    Map<String, Price> prices();

    /** One model's prices in USD per million tokens. */
    interface Price {
        BigDecimal inputPerMtok();

        BigDecimal outputPerMtok();
    }

    /** Daily USD caps; a scope without one is not limited in money. */
    interface MoneyCaps {
        Optional<BigDecimal> global();

        Map<String, BigDecimal> team();

        Map<String, BigDecimal> loop();
    }

    /** Daily token caps; a scope without one is not limited (its usage is still recorded). */
    interface Caps {
        Optional<Long> global();

        Map<String, Long> team();

        Map<String, Long> loop();
    }
}
