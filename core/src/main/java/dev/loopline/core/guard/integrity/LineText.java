package dev.loopline.core.guard.integrity;

import java.util.Locale;

/**
 * A trimmed added line and the forms the rules read it in: its character mask, and (only for lines the
 * rules inspect without whitespace) the whitespace-free and the lower-cased whitespace-free text. Each
 * form is computed once, on first use; most lines never need the whitespace-free forms.
 */
final class LineText {

    final String t;
    final CharMask mask;
    private final boolean compactable;
    private String compact;
    private String compactLower;

    /**
     * @param compactable whether the rules read this line without whitespace; when false, {@link
     *     #compact()} is the trimmed line itself and {@link #compactLower()} is empty
     */
    LineText(String t, CharMask mask, boolean compactable) {
        this.t = t;
        this.mask = mask;
        this.compactable = compactable;
    }

    String compact() {
        if (compact == null) {
            compact = compactable ? TestSyntax.compact(t) : t;
        }
        return compact;
    }

    String compactLower() {
        if (compactLower == null) {
            if (!compactable) {
                compactLower = "";
            } else if (compact != null) {
                compactLower = compact.toLowerCase(Locale.ROOT);
            } else {
                compactLower = TestSyntax.compactLower(t);
            }
        }
        return compactLower;
    }
}
