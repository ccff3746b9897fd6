/**
 * The triage stage of {@code report} and {@code triage} loops: commits since the loop's cursor, bucketed by
 * priority, decided into no-op, report or act, and grounded by the checker's SHA verifier before the report counts.
 * Git is the injected {@link dev.loopline.core.triage.CommitLog}; {@link dev.loopline.core.triage.git} reads it with
 * the git CLI.
 */
package dev.loopline.core.triage;
