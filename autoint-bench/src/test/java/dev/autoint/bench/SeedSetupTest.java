package dev.autoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Predictor;
import org.junit.jupiter.api.Test;

/**
 * The user-candidate rows of {@code scoreUserCandidates3706}: one user's fields in every row, 3,706 distinct movies,
 * and the library's scores of the whole set (user fields computed once per chunk) equal to scoring each row alone.
 */
class SeedSetupTest {

    @Test
    void userCandidateRowsAreOneUserAgainstEveryMovie() {
        EncodedDataset rows = SeedSetup.userCandidateRows(ModelBenchmark.CANDIDATES, 5);
        assertThat(rows.size()).isEqualTo(ModelBenchmark.CANDIDATES);
        for (int f = 0; f < SeedSetup.NAMES.length; f++) {
            int first = rows.id(0, f);
            int[] column = rows.idColumn(f);
            long distinct = java.util.Arrays.stream(column).distinct().count();
            if (SeedSetup.ITEM_FIELDS[f]) {
                if (f == 1) assertThat(distinct).as("movie ids").isEqualTo(ModelBenchmark.CANDIDATES);
                else assertThat(distinct).as(SeedSetup.NAMES[f]).isGreaterThan(1);
            } else {
                assertThat(distinct).as(SeedSetup.NAMES[f]).isEqualTo(1);
                assertThat(first).as(SeedSetup.NAMES[f]).isPositive();
            }
        }
    }

    @Test
    void scoringTheSetEqualsScoringEachRowAlone() {
        EncodedDataset rows = SeedSetup.userCandidateRows(ModelBenchmark.CANDIDATES, 5);
        Predictor predictor = AutoIntModel.create(SeedSetup.config().withEmbeddingInitStd(0.3f), SeedSetup.fields()).predictor();
        float[] all = predictor.predict(rows);
        for (int r = 0; r < rows.size(); r++) assertThat(all[r]).as("row %d", r).isEqualTo(predictor.predict(rows, r));
    }
}
