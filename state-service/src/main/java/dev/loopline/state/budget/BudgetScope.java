package dev.loopline.state.budget;

import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** A budget scope: everything ({@code global}), one team, or one loop. */
public record BudgetScope(Kind kind, String id) implements Comparable<BudgetScope> {

    /** The id of the one global scope. */
    public static final String GLOBAL_ID = "global";

    /** Locks are always taken in this order (kind, then id), so concurrent reservations cannot deadlock. */
    private static final Comparator<BudgetScope> LOCK_ORDER =
            Comparator.comparing(BudgetScope::kind).thenComparing(BudgetScope::id);

    public enum Kind {
        GLOBAL,
        TEAM,
        LOOP;

        private final String wireName = name().toLowerCase(Locale.ROOT);

        public String wireName() {
            return wireName;
        }

        public static Optional<Kind> fromWireName(String name) {
            for (Kind kind : values()) {
                if (kind.wireName.equals(name)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    public BudgetScope {
        if (kind == Kind.GLOBAL) {
            id = GLOBAL_ID;
        }
    }

    public static BudgetScope global() {
        return new BudgetScope(Kind.GLOBAL, GLOBAL_ID);
    }

    @Override
    public int compareTo(BudgetScope other) {
        return LOCK_ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return kind == Kind.GLOBAL ? GLOBAL_ID : kind.wireName() + ":" + id;
    }
}
