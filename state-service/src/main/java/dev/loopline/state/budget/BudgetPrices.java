package dev.loopline.state.budget;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What tokens cost, at the models' configured prices ({@code loopline.budget.prices}, USD per million input and output
 * tokens): the most a hold can cost and what a settlement did cost, at the ledger's scale. A model without prices has
 * no cost (null), which a money-capped scope refuses.
 */
@ApplicationScoped
public class BudgetPrices {

    /** Decimal places of USD amounts in the ledger ({@code numeric(20, 9)}). */
    static final int USD_SCALE = 9;

    @Inject
    BudgetConfig config;

    /**
     * The USD a hold of {@code tokens} holds: every token at the model's higher per-token price, rounded up to the
     * ledger's scale — no settlement of those tokens at that model can cost more. Null when the model has no prices.
     */
    BigDecimal maxCostOf(String model, long tokens) {
        BudgetConfig.Price price = model == null ? null : config.prices().get(model);
        if (price == null) {
            return null;
        }
        return price.inputPerMtok()
                .max(price.outputPerMtok())
                .multiply(BigDecimal.valueOf(tokens))
                .divide(BigDecimal.valueOf(1_000_000), USD_SCALE, RoundingMode.UP);
    }

    /**
     * USD cost of a settlement at the model's configured prices: {@code inputTokens} of the actual tokens at the input
     * price, the rest at the output price (all of them when {@code inputTokens} is null); null when the model has none.
     */
    BigDecimal costOf(String model, long actualTokens, Long inputTokens) {
        BudgetConfig.Price price = model == null ? null : config.prices().get(model);
        if (price == null) {
            return null;
        }
        long input = inputTokens == null ? 0 : Math.min(inputTokens, actualTokens);
        long output = actualTokens - input;
        return price.inputPerMtok()
                .multiply(BigDecimal.valueOf(input))
                .add(price.outputPerMtok().multiply(BigDecimal.valueOf(output)))
                .divide(BigDecimal.valueOf(1_000_000), USD_SCALE, RoundingMode.HALF_UP);
    }

    /** The models with prices, sorted (named in the problem of an unpriced reservation). */
    List<String> pricedModels() {
        return config.prices().keySet().stream().sorted().toList();
    }
}
