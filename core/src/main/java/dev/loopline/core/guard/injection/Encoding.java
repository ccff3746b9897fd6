package dev.loopline.core.guard.injection;

/** How the text a signal was found in had been hidden in the original. */
public enum Encoding {
    PLAIN,
    BASE64,
    URL_PERCENT,
    BACKSLASH_ESCAPE,
    HTML_ENTITY,
    UNICODE_TAGS,
    VARIATION_SELECTORS,
    HEX,
    ROT13,
    REVERSED,
    /** Letters spaced out to dodge word matching: {@code i g n o r e}, {@code i-g-n-o-r-e}, {@code i.g.n.o.r.e}. */
    LETTER_SPACED,
    /** Words separated by zero-width characters instead of blanks: {@code ignore\u200Ball\u200Bprevious}. */
    INVISIBLE_SEPARATORS
}
