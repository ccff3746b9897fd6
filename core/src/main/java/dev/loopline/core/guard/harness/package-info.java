/**
 * The pinned test harness: which files decide whether a change's tests pass (the scripts the test command
 * runs, build and test configuration, CI, snapshot and golden files, a spec's {@code protected} globs) and
 * which files are loop specs. A change to any of them is never verified by the tests it could rewrite.
 */
package dev.loopline.core.guard.harness;
