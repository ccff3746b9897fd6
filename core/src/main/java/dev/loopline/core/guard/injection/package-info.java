/**
 * The prompt-injection scanner for text that reaches an agent (tasks, issue bodies, fetched pages, tool output,
 * text a diff adds).
 *
 * <p>{@link dev.loopline.core.guard.injection.InjectionScanner} folds the text (NFKD compatibility forms,
 * diacritics, zero-width and bidi controls, Cyrillic and Greek look-alikes, case), finds every keyword of the
 * multilingual {@code Lexicon} in one Aho–Corasick pass, and rates keyword combinations that stand close together
 * within one sentence. On top of the keywords it reads what a human reader does not see: hidden regions
 * ({@code HiddenRegions}: HTML comments, alt/title/aria-label, hidden elements, Markdown comment definitions, code
 * comments) that address an AI and instruct it, images and links built to carry data out
 * ({@code ImageExfiltration}), forged role and tool boundaries, and text smuggled in invisible characters
 * ({@code RawInspector}: Unicode tag characters, variation-selector runs, bidi overrides), which is decoded and
 * scanned. Input that is not text (NUL, U+FFFD from a failed decode, lone surrogates) is reported as
 * {@link dev.loopline.core.guard.injection.Category#UNSCANNABLE}, never passed. URL escapes, backslash escapes,
 * HTML entities, base64 and hex runs, and ROT13 (when the text names it) are decoded and scanned too; such
 * signals carry their {@link dev.loopline.core.guard.injection.Encoding}. A payload quoted to explain it
 * ({@code QuotedContext}) is lowered from high to medium. All work is linear in the input; see ADR 0012.
 */
package dev.loopline.core.guard.injection;
