package dev.autoint.data.movielens;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.data.FeatureEncoder;
import dev.autoint.core.data.FieldKind;
import dev.autoint.data.LabelRule;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.SplitSpec.Split;
import dev.autoint.data.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        Split s = SplitSpec.perUserLastK(3, 0).apply(DATA.ratings().size(), DATA.ratings().userIds(), DATA.ratings().timestamps());
        Split g = SplitSpec.globalTemporal(0.5, 0).apply(DATA.ratings().size(), null, DATA.ratings().timestamps());
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

    /** Candidate rows of user 7 at a month inside the training period, for every catalogue movie. */
    static EncodedDataset candidates(MovieLensEncoder enc, int user, int year, int month, List<String> warnings) {
        EncodedDataset row = enc.contextRow(user, Map.of("year", Integer.toString(year), "month", Integer.toString(month)), warnings);
        return enc.catalogue().candidates(row, 0, enc.catalogue().itemIds());
    }

    @Test
    void encodesCandidatesForBothPresets() {
        long[] ts = DATA.ratings().timestamps();
        long last = java.util.Arrays.stream(ts).max().orElseThrow();
        java.time.ZonedDateTime t = java.time.Instant.ofEpochSecond(last).atZone(ZoneOffset.UTC);
        for (FeaturePreset p : FeaturePreset.values()) {
            MovieLensEncoder enc = MovieLensEncoder.fit(p, DATA);
            int[] movies = enc.catalogue().itemIds();
            List<String> warnings = new ArrayList<>();
            EncodedDataset c = candidates(enc, 7, t.getYear(), t.getMonthValue(), warnings);
            assertThat(warnings).isEmpty();
            assertThat(c.size()).isEqualTo(movies.length);
            assertThat(c.fields()).isEqualTo(enc.fieldSpecs());
            for (int i = 0; i < c.size(); i++) assertThat(c.label(i)).isZero();
            // every catalogue movie was rated in training
            java.util.Set<Integer> rated = new java.util.HashSet<>();
            for (int m : DATA.ratings().movieIds()) rated.add(m);
            for (int m : movies) assertThat(rated).contains(m);
            assertThat(movies.length).isEqualTo(rated.size());
            if (p == FeaturePreset.SEEDS) {
                assertThat(enc.vocabulary("user_id").value(c.id(0, 0))).isEqualTo("7");
                assertThat(enc.vocabulary("rating_month").value(c.id(3, 5))).isEqualTo(Integer.toString(t.getMonthValue()));
                assertThat(enc.vocabulary("movie_id").value(c.id(3, 1))).isEqualTo(Integer.toString(movies[3]));
                assertThat(enc.vocabulary("genre1").value(c.id(3, 7))).isEqualTo(DATA.movie(movies[3]).genres().get(0));
            } else {
                long start = LocalDate.of(t.getYear(), t.getMonthValue(), 1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
                assertThat(c.value(0, 5)).isEqualTo(enc.timeScaler().scale(Math.max(start, (long) enc.timeScaler().min())));
                assertThat(c.multiIds(3, 6)).hasSize(DATA.movie(movies[3]).genres().size());
            }
            // an unknown user, a bad month and a year out of any range are errors naming the key
            assertThatThrownBy(() -> enc.contextRow(999_999, Map.of(), new ArrayList<>())).hasMessageContaining("user");
            assertThatThrownBy(() -> enc.contextRow(7, Map.of("month", "13"), new ArrayList<>())).hasMessageContaining("month");
            assertThatThrownBy(() -> enc.contextRow(7, Map.of("year", "1000000000"), new ArrayList<>())).hasMessageContaining("year");
            assertThatThrownBy(() -> enc.contextRow(7, Map.of("hour", "3"), new ArrayList<>())).hasMessageContaining("hour");
        }
    }

    @Test
    void aContextOutsideTheTrainingPeriodIsClippedWithAWarning() {
        for (FeaturePreset p : FeaturePreset.values()) {
            MovieLensEncoder enc = MovieLensEncoder.fit(p, DATA);
            Map<String, String> last = enc.defaultContext();
            List<String> none = new ArrayList<>(), warnings = new ArrayList<>();
            EncodedDataset inside = candidates(enc, 7, Integer.parseInt(last.get("year")), Integer.parseInt(last.get("month")), none);
            EncodedDataset future = candidates(enc, 7, 2026, 1, warnings);
            assertThat(none).isEmpty();
            assertThat(warnings).singleElement().asString().contains("2026-01").contains("after the training period")
                    .contains("using " + last.get("year"));
            // clipped to the last training month: the same rows as asking for that month
            for (int f = 0; f < inside.numFields(); f++) {
                switch (inside.fields().get(f).kind()) {
                    case CATEGORICAL -> assertThat(future.idColumn(f)).isEqualTo(inside.idColumn(f));
                    case MULTI_CATEGORICAL -> assertThat(future.multiIdColumn(f)).isEqualTo(inside.multiIdColumn(f));
                    case NUMERIC -> {
                        assertThat(future.valueColumn(f)).isEqualTo(inside.valueColumn(f));
                        for (float v : future.valueColumn(f)) assertThat(v).isBetween(0f, 1f);
                    }
                }
            }
            List<String> early = new ArrayList<>();
            candidates(enc, 7, 1900, 1, early);
            assertThat(early).singleElement().asString().contains("before the training period");
        }
    }

    @Test
    void savesAndLoadsWithoutTheData(@TempDir Path dir) throws Exception {
        for (FeaturePreset p : FeaturePreset.values()) {
            MovieLensEncoder enc = MovieLensEncoder.fit(p, DATA);
            Path d = dir.resolve(p.name());
            enc.save(d);
            FeatureEncoder back = FeatureEncoder.load(d);
            assertThat(back).isInstanceOf(MovieLensEncoder.class);
            assertThat(back.fieldSpecs()).isEqualTo(enc.fieldSpecs());
            assertThat(back.catalogue().items()).isEqualTo(enc.catalogue().items());
            assertThat(back.users().all()).isEqualTo(enc.users().all());
            assertThat(back.defaultContext()).isEqualTo(enc.defaultContext());
            Map<String, String> ctx = enc.defaultContext();
            EncodedDataset a = enc.catalogue().candidates(enc.contextRow(3, ctx, new ArrayList<>()), 0, enc.catalogue().itemIds());
            EncodedDataset b = back.catalogue().candidates(back.contextRow(3, ctx, new ArrayList<>()), 0, back.catalogue().itemIds());
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
