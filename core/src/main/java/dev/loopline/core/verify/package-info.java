/**
 * Grounded and isomorphic checks of claimed commit SHAs. Rules only; git access is the injected
 * {@link dev.loopline.core.verify.GitObjectLookup}. An ambiguous prefix gets its own verdict
 * ({@link dev.loopline.core.verify.GroundedVerdict#AMBIGUOUS}), which is not grounded.
 */
package dev.loopline.core.verify;
