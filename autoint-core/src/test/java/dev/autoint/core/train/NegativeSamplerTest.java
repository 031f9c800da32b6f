package dev.autoint.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The negative sampler: which item a training row maps to, that the positive's item (and with
 * {@code excludingSeen} the user's training items) is never drawn, that draws follow the uniform or the
 * popularity distribution (a chi-square bound at a fixed seed), determinism, and the misuse errors.
 */
class NegativeSamplerTest {

    // user, item id, item genres (multi-valued, part of the item), hour (context)
    static final List<FieldSpec> FIELDS = List.of(FieldSpec.categorical("user", 50), FieldSpec.categorical("item", 30),
            FieldSpec.multiCategorical("genres", 5), FieldSpec.numeric("hour"));
    static final boolean[] ITEM_FIELDS = {false, true, true, false};
    static final int ITEMS = 10;

    /** Item i: id i + 1, genres {i % 5} (and {i % 5, (i+1) % 5} for odd i). */
    static EncodedDataset catalogue() {
        return catalogue(1);
    }

    static EncodedDataset catalogue(int firstId) {
        EncodedDataset.Builder b = EncodedDataset.builder(FIELDS);
        for (int i = 0; i < ITEMS; i++) {
            b.categorical(0, 0).categorical(1, i + firstId).addMulti(2, i % 5);
            if (i % 2 == 1) b.addMulti(2, (i + 1) % 5);
            b.numeric(3, 0f).endRow(0f);
        }
        return b.build();
    }

    /** Training rows: row r is user r % 7 with item itemOf[r]; item 9 has no training rows. */
    static final int[] ITEM_OF = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 0, 0, 1, 2};

    static EncodedDataset train() {
        EncodedDataset.Builder b = EncodedDataset.builder(FIELDS);
        for (int r = 0; r < ITEM_OF.length; r++) {
            int i = ITEM_OF[r];
            b.categorical(0, r % 7).categorical(1, i + 1).addMulti(2, i % 5);
            if (i % 2 == 1) b.addMulti(2, (i + 1) % 5);
            b.numeric(3, r * 0.5f).endRow(r % 3 == 0 ? 0f : 1f);
        }
        return b.build();
    }

    static int[] users() {
        int[] u = new int[ITEM_OF.length];
        for (int r = 0; r < u.length; r++) u[r] = r % 7;
        return u;
    }

    @Test
    void eachTrainingRowMapsToTheItemWithTheSameItemFields() {
        NegativeSampler.Bound b = NegativeSampler.uniform(catalogue(), ITEM_FIELDS).bind(train());
        for (int r = 0; r < ITEM_OF.length; r++) assertThat(b.itemOf(r)).as("row %d", r).isEqualTo(ITEM_OF[r]);
    }

    @Test
    void uniformDrawsFollowTheCatalogueWithoutThePositiveItem() {
        NegativeSampler.Bound b = NegativeSampler.uniform(catalogue(), ITEM_FIELDS).bind(train());
        int row = 14; // item 3
        int[] counts = draws(b, row, 45_000);
        assertThat(counts[3]).isZero();
        double[] p = new double[ITEMS];
        for (int i = 0; i < ITEMS; i++) p[i] = i == 3 ? 0 : 1.0 / (ITEMS - 1);
        assertThat(chiSquare(counts, p)).isLessThan(CHI2_8_DF_999);
    }

    @Test
    void popularityDrawsFollowCountToTheBeta() {
        EncodedDataset train = train();
        int[] counts = new int[ITEMS];
        for (int i : ITEM_OF) counts[i]++;
        for (double beta : new double[] {1.0, 0.5}) {
            NegativeSampler.Bound b = NegativeSampler.popularity(catalogue(), ITEM_FIELDS, beta).bind(train);
            int row = 12; // item 2
            int[] drawn = draws(b, row, 60_000);
            double[] p = new double[ITEMS];
            double sum = 0;
            for (int i = 0; i < ITEMS; i++) {
                p[i] = i == 2 || counts[i] == 0 ? 0 : Math.pow(counts[i], beta);
                sum += p[i];
                assertThat(b.probability(i)).isCloseTo(counts[i] == 0 ? 0 : Math.pow(counts[i], beta)
                        / java.util.Arrays.stream(counts).filter(c -> c > 0).mapToDouble(c -> Math.pow(c, beta)).sum(),
                        org.assertj.core.data.Offset.offset(1e-12));
            }
            for (int i = 0; i < ITEMS; i++) p[i] /= sum;
            assertThat(drawn[2]).isZero();
            assertThat(drawn[9]).as("item 9 has no training rows").isZero();
            assertThat(chiSquare(drawn, p)).as("beta %s", beta).isLessThan(CHI2_8_DF_999 - 2); // 7 df: items 2 and 9 out
        }
    }

    @Test
    void excludingSeenNeverDrawsAnItemOfTheUsersTrainingRows() {
        EncodedDataset train = train();
        NegativeSampler.Bound b = NegativeSampler.uniform(catalogue(), ITEM_FIELDS).excludingSeen(users()).bind(train);
        for (int r = 0; r < ITEM_OF.length; r++) {
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int q = 0; q < ITEM_OF.length; q++) if (q % 7 == r % 7) seen.add(ITEM_OF[q]);
            int[] drawn = draws(b, r, 2_000);
            for (int i : seen) assertThat(drawn[i]).as("row %d, seen item %d", r, i).isZero();
            for (int i = 0; i < ITEMS; i++) if (!seen.contains(i)) assertThat(drawn[i]).as("row %d, item %d", r, i).isPositive();
        }
    }

    @Test
    void drawsDependOnlyOnSeedEpochAndRow() {
        NegativeSampler s = NegativeSampler.uniform(catalogue(), ITEM_FIELDS);
        NegativeSampler.Bound a = s.bind(train());
        NegativeSampler.Bound b = s.bind(train());
        int differ = 0;
        for (int r = 0; r < ITEM_OF.length; r++) {
            assertThat(a.sample(r, 42, 3)).isEqualTo(b.sample(r, 42, 3));
            if (a.sample(r, 42, 3) != a.sample(r, 42, 4)) differ++;
        }
        assertThat(differ).as("another epoch draws other negatives").isGreaterThan(ITEM_OF.length / 2);
        // A batch's negatives are the rows' own draws, whatever batch they fall in.
        int[] order = {5, 3, 17, 0};
        EncodedDataset neg = a.negatives(train(), order, 1, 3, 42, 3);
        for (int i = 0; i < 3; i++) {
            int r = order[1 + i];
            assertThat(neg.id(i, 0)).isEqualTo(train().id(r, 0));
            assertThat(neg.value(i, 3)).isEqualTo(train().value(r, 3));
            assertThat(neg.id(i, 1)).isEqualTo(a.sample(r, 42, 3) + 1);
            assertThat(neg.multiIds(i, 2)).isEqualTo(catalogue().multiIds(a.sample(r, 42, 3), 2));
        }
    }

    @Test
    void misuseIsRejectedNamingTheParameter() {
        EncodedDataset cat = catalogue();
        assertThatThrownBy(() -> NegativeSampler.uniform(cat, new boolean[3])).hasMessageContaining("itemFields has 3 entries");
        assertThatThrownBy(() -> NegativeSampler.uniform(cat, new boolean[4])).hasMessageContaining("itemFields marks no field");
        assertThatThrownBy(() -> NegativeSampler.popularity(cat, ITEM_FIELDS, -1)).hasMessageContaining("beta");
        assertThatThrownBy(() -> NegativeSampler.uniform(cat.select(new int[] {0}), ITEM_FIELDS)).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> NegativeSampler.uniform(cat, ITEM_FIELDS).excludingSeen(new int[3]).bind(train()))
                .hasMessageContaining("excludingSeen: 3 users for 24 training rows");
        // Another encoding of the items (ids shifted by 10): no training row matches an item row.
        assertThatThrownBy(() -> NegativeSampler.uniform(catalogue(11), ITEM_FIELDS).bind(train())).hasMessageContaining("no training row's item");
        EncodedDataset other = EncodedDataset.builder(List.of(FieldSpec.categorical("x", 3))).categorical(0, 1).endRow(1f)
                .categorical(0, 2).endRow(0f).build();
        assertThatThrownBy(() -> NegativeSampler.uniform(other, new boolean[] {true}).bind(train())).hasMessageContaining("other fields");
    }

    /** The 0.999 quantile of chi-square with 8 degrees of freedom. */
    static final double CHI2_8_DF_999 = 26.12;

    static int[] draws(NegativeSampler.Bound b, int row, int n) {
        int[] counts = new int[ITEMS];
        for (int e = 0; e < n; e++) counts[b.sample(row, 7, e)]++;
        return counts;
    }

    static double chiSquare(int[] counts, double[] p) {
        long n = 0;
        for (int c : counts) n += c;
        double x = 0;
        for (int i = 0; i < counts.length; i++) {
            if (p[i] == 0) continue;
            double e = n * p[i];
            x += (counts[i] - e) * (counts[i] - e) / e;
        }
        return x;
    }
}
