/** Baselines every model is compared with: item popularity. */
package dev.autoint.eval.baseline;
