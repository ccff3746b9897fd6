/** Unified diff model and a count-driven parser that fails closed ({@link dev.loopline.core.diff.DiffParser}). */
package dev.loopline.core.diff;
