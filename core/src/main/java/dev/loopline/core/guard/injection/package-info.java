/**
 * The prompt-injection scanner for text that reaches an agent (tasks, issue bodies, fetched pages, tool output).
 *
 * <p>{@link dev.loopline.core.guard.injection.InjectionScanner} folds the text (NFKD compatibility forms,
 * diacritics, zero-width and bidi controls, Cyrillic and Greek look-alikes, case), finds every keyword of the
 * multilingual {@code Lexicon} in one Aho–Corasick pass, and rates keyword combinations that stand close together
 * within one sentence. URL escapes, backslash escapes, HTML entities and base64 runs are decoded and scanned too;
 * such signals carry their {@link dev.loopline.core.guard.injection.Encoding}. All work is linear in the input.
 */
package dev.loopline.core.guard.injection;
