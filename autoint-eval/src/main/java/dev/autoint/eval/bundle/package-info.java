/**
 * Model bundles: the unit a team deploys. A bundle directory holds the model, its feature encoder (with the
 * item catalogue and known users), the training interactions recommendation needs, the held-out rows
 * evaluation needs, reports, and a manifest with provenance and the SHA-256 of every file. It is written as
 * a whole ({@link dev.autoint.core.internal.io.AtomicFiles#writeDirectory}) and verified when loaded, so it never
 * needs the data it was trained on.
 */
package dev.autoint.eval.bundle;
