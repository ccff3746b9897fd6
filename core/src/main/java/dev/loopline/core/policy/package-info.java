/** L3 allowlist gate: compiled globs, named default deny groups, file and line caps. */
package dev.loopline.core.policy;
