/**
 * Not part of the API: the one top-K candidate scan ({@link dev.autoint.eval.internal.CatalogScan}), its bounded
 * heap ({@link dev.autoint.eval.internal.TopK}) and the per-user item sets it excludes
 * ({@link dev.autoint.eval.internal.UserItemSets}), shared by the full-catalogue protocol, the sampled protocol
 * and the {@code Recommender}. The module does not export this package; the classes are public only so that the
 * other packages of autoint-eval can use them, and they may change in any release.
 */
package dev.autoint.eval.internal;
