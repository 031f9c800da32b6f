/**
 * Data preparation for autoint-java: from raw rows to {@link dev.autoint.core.data.EncodedDataset}.
 *
 * <p>The pipeline is always: read raw rows ({@link dev.autoint.data.movielens.MovieLensReader},
 * {@link dev.autoint.data.movielens.SyntheticMovieLens} or {@link dev.autoint.data.table.DelimitedReader}),
 * split them ({@link dev.autoint.data.SplitSpec}), fit vocabularies and scalers on the train part only
 * ({@link dev.autoint.data.movielens.MovieLensEncoder}, {@link dev.autoint.data.table.TableEncoder}), then
 * encode every part. This package holds the shared pieces: {@link dev.autoint.data.Vocabulary} (OOV-safe,
 * frozen, JSON), {@link dev.autoint.data.LabelRule},
 * {@link dev.autoint.data.SplitSpec} (one record per kind of split) with its result {@link dev.autoint.data.SplitSpec.Split}, and the single input exception
 * {@link dev.autoint.data.DataFormatException}.
 */
package dev.autoint.data;

import dev.autoint.data.SplitSpec.Split;
