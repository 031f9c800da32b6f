package dev.autoint.data.movielens;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.data.LabelRule;
import dev.autoint.data.Split;
import dev.autoint.data.Splits;
import dev.autoint.data.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Presets, splits, candidates and persistence on synthetic data. */
class MovieLensEncoderTest {

    private static final MovieLensData DATA = SyntheticMovieLens.builder().users(300).movies(200).ratingsPerUser(40).seed(3).generate();

    @Test
    void seedsPresetHas14CategoricalFieldsAnd60BytesPerRow() {
        MovieLensEncoder enc = MovieLensEncoder.fit(FeaturePreset.SEEDS, DATA);
        EncodedDataset ds = enc.encode(DATA);
        assertThat(ds.numFields()).isEqualTo(14);
        assertThat(ds.fields()).allMatch(f -> f.kind() == FieldKind.CATEGORICAL);
        assertThat(ds.size()).isEqualTo(DATA.ratings().size());
        assertThat(ds.bytesUsed() / ds.size()).isEqualTo(60);
        for (int i = 0; i < ds.size(); i++) assertThat(ds.label(i)).isEqualTo(DATA.ratings().labels()[i]);
        // row 0 decodes back to its raw values
        int u = DATA.ratings().userIds()[0], m = DATA.ratings().movieIds()[0];
        assertThat(enc.vocabulary("user_id").value(ds.id(0, 0))).isEqualTo(Integer.toString(u));
        assertThat(enc.vocabulary("movie_id").value(ds.id(0, 1))).isEqualTo(Integer.toString(m));
        assertThat(enc.vocabulary("genre1").value(ds.id(0, 7))).isEqualTo(DATA.movie(m).genres().get(0));
        assertThat(enc.vocabulary("gender").value(ds.id(0, 10))).isEqualTo(DATA.user(u).gender());
        for (Vocabulary v : enc.vocabularies().values()) assertThat(v.oovCount()).isZero();
    }

    @Test
    void monthKeyMatchesJavaTime() {
        for (long t : new long[] {0, 978_300_760L, 956_703_932L, 1_046_454_590L, -86_400L * 400, 4_102_444_800L}) {
            var z = java.time.Instant.ofEpochSecond(t).atZone(ZoneOffset.UTC);
            assertThat(MovieLensEncoder.monthKey(t)).isEqualTo(z.getYear() * 12 + z.getMonthValue() - 1);
        }
        assertThat(MovieLensEncoder.monthKey(Long.MAX_VALUE)).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void fitsOnTrainOnlyAndCountsUnseenValues() {
        Split s = Splits.perUserLastK(DATA.ratings().userIds(), DATA.ratings().timestamps(), 3, 0);
        Split g = Splits.globalTemporal(DATA.ratings().timestamps(), 0.5);
        MovieLensData train = DATA.select(g.train());
        MovieLensEncoder enc = MovieLensEncoder.fit(FeaturePreset.SEEDS, train);
        assertThat(enc.vocabulary("user_id").size()).isEqualTo(train.ratings().distinctUsers() + 1);
        EncodedDataset test = enc.encode(DATA.select(g.test()));
        assertThat(test.size()).isEqualTo(g.test().length);
        assertThat(enc.vocabulary("user_id").oovCount()).isPositive(); // later users are unseen in train
        assertThat(s.test().length).isEqualTo(300 * 3);
    }

    @Test
    void paperPresetScalesTimeAndPoolsGenres() {
        MovieLensData d = SyntheticMovieLens.builder().users(200).movies(100).seed(5).labelRule(LabelRule.paper()).generate();
        for (float r : d.ratings().ratings()) assertThat(r).isNotEqualTo(3f);
        MovieLensEncoder enc = MovieLensEncoder.fit(FeaturePreset.PAPER, d);
        EncodedDataset ds = enc.encode(d);
        assertThat(ds.fields().get(5).kind()).isEqualTo(FieldKind.NUMERIC);
        assertThat(ds.fields().get(6).kind()).isEqualTo(FieldKind.MULTI_CATEGORICAL);
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float v : ds.valueColumn(5)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertThat(lo).isEqualTo(0f);
        assertThat(hi).isEqualTo(1f);
        int m = d.ratings().movieIds()[0];
        assertThat(ds.multiIds(0, 6)).hasSize(d.movie(m).genres().size());
    }

    @Test
    void encodesCandidatesForBothPresets() {
        int[] movies = DATA.movieIds();
        for (FeaturePreset p : FeaturePreset.values()) {
            MovieLensEncoder enc = MovieLensEncoder.fit(p, DATA);
            EncodedDataset c = enc.encodeCandidates(7, movies, 2001, 6);
            assertThat(c.size()).isEqualTo(movies.length);
            assertThat(c.fields()).isEqualTo(enc.fieldSpecs());
            for (int i = 0; i < c.size(); i++) assertThat(c.label(i)).isZero();
            if (p == FeaturePreset.SEEDS) {
                assertThat(enc.vocabulary("user_id").value(c.id(0, 0))).isEqualTo("7");
                assertThat(enc.vocabulary("rating_month").value(c.id(3, 5))).isEqualTo("6");
                assertThat(enc.vocabulary("movie_id").value(c.id(3, 1))).isEqualTo(Integer.toString(movies[3]));
                // an unknown user: id 0, counted
                long before = enc.vocabulary("user_id").oovCount();
                EncodedDataset u = enc.encodeCandidates(999_999, new int[] {movies[0], movies[1]}, 2001, 6);
                assertThat(u.id(0, 0)).isZero();
                assertThat(enc.vocabulary("user_id").oovCount()).isEqualTo(before + 2);
                assertThat(u.id(0, 10)).isZero(); // gender missing: no profile
            } else {
                long ts = LocalDate.of(2001, 6, 1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
                assertThat(c.value(0, 5)).isEqualTo(enc.timeScaler().scale(ts));
            }
        }
        assertThatThrownBy(() -> MovieLensEncoder.fit(FeaturePreset.SEEDS, DATA).encodeCandidates(1, movies, 2001, 13))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void savesAndLoads(@TempDir Path dir) throws Exception {
        for (FeaturePreset p : FeaturePreset.values()) {
            MovieLensEncoder enc = MovieLensEncoder.fit(p, DATA);
            Path f = dir.resolve(p + ".json");
            enc.save(f);
            MovieLensEncoder back = MovieLensEncoder.load(f, DATA);
            assertThat(back.fieldSpecs()).isEqualTo(enc.fieldSpecs());
            EncodedDataset a = enc.encodeCandidates(3, DATA.movieIds(), 2000, 12);
            EncodedDataset b = back.encodeCandidates(3, DATA.movieIds(), 2000, 12);
            for (int fi = 0; fi < a.numFields(); fi++) {
                switch (a.fields().get(fi).kind()) {
                    case CATEGORICAL -> assertThat(b.idColumn(fi)).isEqualTo(a.idColumn(fi));
                    case MULTI_CATEGORICAL -> assertThat(b.multiIdColumn(fi)).isEqualTo(a.multiIdColumn(fi));
                    case NUMERIC -> assertThat(b.valueColumn(fi)).isEqualTo(a.valueColumn(fi));
                }
            }
        }
    }
}
