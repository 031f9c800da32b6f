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
