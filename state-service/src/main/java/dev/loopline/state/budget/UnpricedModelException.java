package dev.loopline.state.budget;

import java.util.List;

/**
 * A reservation or settlement charges a scope with a money cap, but names no model with prices: its cost cannot be
 * bounded, so nothing is held (fail closed).
 */
public class UnpricedModelException extends RuntimeException {

    private final transient BudgetScope scope;
    private final String model;
    private final List<String> pricedModels;

    public UnpricedModelException(BudgetScope scope, String model, List<String> pricedModels) {
        super("Scope " + scope + " has a daily USD cap, so a reservation charging it must name a priced model; "
                + (model == null ? "none was named" : "'" + model + "' has no prices") + ". Name `model` from the"
                + " price table (loopline.budget.prices): "
                + (pricedModels.isEmpty() ? "none configured" : String.join(", ", pricedModels)));
        this.scope = scope;
        this.model = model;
        this.pricedModels = List.copyOf(pricedModels);
    }

    public BudgetScope scope() {
        return scope;
    }

    public String model() {
        return model;
    }

    public List<String> pricedModels() {
        return pricedModels;
    }
}
