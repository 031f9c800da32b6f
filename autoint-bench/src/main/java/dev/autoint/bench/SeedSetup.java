package dev.autoint.bench;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.model.AutoIntConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seed configuration the benchmarks share: 14 categorical fields with MovieLens-1M vocabularies,
 * embedding 16, 3 interacting layers of 2 heads × 8, residual, DNN 32-32 (AutoInt+, DeepCTR form).
 */
public final class SeedSetup {

    /** Vocabulary sizes of the seeds' 14 fields, id 0 (unknown) excluded. */
    public static final int[] VOCABULARIES = {6040, 3706, 10, 81, 4, 12, 1, 18, 18, 16, 2, 7, 21, 3439};
    public static final String[] NAMES = {"user_id", "movie_id", "movie_decade", "movie_year", "rating_year",
        "rating_month", "rating_decade", "genre1", "genre2", "genre3", "gender", "age", "occupation", "zip"};

    /** Forward FLOP per row of this configuration (projections, attention, DNN, output), as the issue counts it. */
    public static final long FORWARD_FLOPS_PER_ROW = 140_544;

    /**
     * The fields that describe the movie (movie_id, movie_decade, movie_year, genre1-3); the other eight describe
     * the user and the rating's context, the same in every candidate row of one request.
     */
    public static final boolean[] ITEM_FIELDS = {false, true, true, true, false, false, false, true, true, true,
        false, false, false, false};

    /**
     * FLOP per row the library does not spend on one user's candidate rows: interacting layer 1 projects each of
     * the 8 user and context fields once per chunk instead of once per row, 2·P·D = 2·64·16 per field.
     */
    public static final long USER_CANDIDATE_FLOPS_SAVED_PER_ROW = 8L * 2 * 64 * 16;

    private SeedSetup() {
    }

    public static List<FieldSpec> fields() {
        List<FieldSpec> f = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) f.add(FieldSpec.categorical(NAMES[i], VOCABULARIES[i] + 1));
        return f;
    }

    /** AutoInt+ of the seeds, without dropout (a benchmark measures arithmetic, not regularisation). */
    public static AutoIntConfig config() {
        return AutoIntConfig.seedsAutoIntPlus().withDropout(0f);
    }

    /**
     * One user's candidate rows, as a recommendation request builds them ({@code EncodedDataset.candidates}):
     * the user and context fields of one random row, repeated, with the item fields of {@code n} distinct movies
     * (ids 1 .. n; their decade, year and genres random).
     *
     * @param n    number of candidates, at most the 3,706 movies
     * @param seed seed of the user row and the item fields
     * @return {@code n} rows, labels 0
     */
    public static EncodedDataset userCandidateRows(int n, long seed) {
        if (n < 1 || n > VOCABULARIES[1]) {
            throw new IllegalArgumentException("candidates must be in [1, " + VOCABULARIES[1] + "], got " + n);
        }
        EncodedDataset user = randomRows(1, seed);
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        EncodedDataset.Builder b = EncodedDataset.builder(fields(), n);
        int[] rows = new int[n];
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < VOCABULARIES.length; f++) b.categorical(f, f == 1 ? r + 1 : 1 + rnd.nextInt(VOCABULARIES[f]));
            b.endRow(0f);
            rows[r] = r;
        }
        return EncodedDataset.candidates(user, 0, b.build(), rows, ITEM_FIELDS);
    }

    /** Random rows over the seed fields, labels ~ Bernoulli(0.575). */
    public static EncodedDataset randomRows(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<FieldSpec> fields = fields();
        EncodedDataset.Builder b = EncodedDataset.builder(fields, n);
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < fields.size(); f++) b.categorical(f, 1 + rnd.nextInt(VOCABULARIES[f]));
            b.endRow(rnd.nextDouble() < 0.575 ? 1f : 0f);
        }
        return b.build();
    }
}
