/**
 * MovieLens: readers for the 1M and 100K layouts, a synthetic generator with the same output, the "seeds"
 * and "paper" feature presets with a train-fitted encoder (including candidate rows for recommendation),
 * and a verified downloader.
 */
package dev.autoint.data.movielens;
