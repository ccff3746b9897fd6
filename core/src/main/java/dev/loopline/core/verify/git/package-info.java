/** Git CLI adapter: one long-lived {@code git cat-file --batch-check} per repository. */
package dev.loopline.core.verify.git;
