/**
 * Reward-hacking detection on diffs: removed, skipped or weakened tests, assumption tricks, build and
 * CI settings that let failures pass, golden-file edits ({@link
 * dev.loopline.core.guard.integrity.IntegrityScanner}).
 */
package dev.loopline.core.guard.integrity;
