package dev.loopline.state.budget;

/** What a cap counts: tokens, or US dollars at the configured model prices. */
public enum BudgetUnit {
    TOKENS("tokens"),
    USD("usd");

    private final String wireName;

    BudgetUnit(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static BudgetUnit fromWireName(String wireName) {
        for (BudgetUnit unit : values()) {
            if (unit.wireName.equals(wireName)) {
                return unit;
            }
        }
        throw new IllegalArgumentException("no budget unit " + wireName);
    }
}
