package dev.autoint.data.movielens;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.data.LabelRule;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.SplitSpec.Split;
import dev.autoint.data.TestDatasets;
import dev.autoint.data.movielens.MovieLensData.UserProfile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the real MovieLens data (skipped when absent) and checks counts, decoding and both presets. */
class MovieLensRealDataTest {

    @Test
    void ml1mHalfCountsAndTitles() throws Exception {
        Path dir = TestDatasets.ml1mHalf();
        MovieLensData d = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(d.ratings().size()).isEqualTo(487_650);
        assertThat(d.ratings().distinctUsers()).isEqualTo(2_999);
        assertThat(d.ratings().distinctMovies()).isEqualTo(3_615);
        assertThat(d.users()).hasSize(6_040);
        assertThat(d.movies()).hasSize(3_883);
        assertThat(d.movie(3).title()).isEqualTo("Grumpier Old Men (1995)");
        assertThat(d.movie(3).year()).isEqualTo(1995);
        assertThat(d.movie(3).genres()).containsExactly("Comedy", "Romance");
        assertThat(d.movie(73).title()).isEqualTo("Misérables, Les (1995)");
        assertThat(d.movie(1117).title()).isEqualTo("Eighth Day, The (Le Huitième jour ) (1996)");
        assertThat(d.user(1)).isEqualTo(new UserProfile(1, "F", 1, 1, "K-12 student", "48067"));
        int[] u = d.ratings().userIds();
        assertThat(u[0]).isEqualTo(1);
        assertThat(d.ratings().movieIds()[0]).isEqualTo(1193);
        assertThat(d.ratings().timestamps()[0]).isEqualTo(978300760L);
        double mean = 0;
        for (float r : d.ratings().ratings()) mean += r;
        assertThat(mean / d.ratings().size()).isCloseTo(3.5719, org.assertj.core.data.Offset.offset(1e-4));
        // The original files: ISO-8859-1 titles detected as such, every rating's user and movie known, no warning.
        assertThat(d.loadReport().charset("movies.dat")).isEqualTo("ISO-8859-1");
        assertThat(d.loadReport().charset("ratings.dat")).isEqualTo("US-ASCII");
        assertThat(d.loadReport().warnings()).isEmpty();
    }

    @Test
    void ml100kCountsAndTitles() throws Exception {
        Path dir = TestDatasets.ml100k();
        MovieLensData d = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(d.ratings().size()).isEqualTo(100_000);
        assertThat(d.ratings().distinctUsers()).isEqualTo(943);
        assertThat(d.ratings().distinctMovies()).isEqualTo(1_682);
        assertThat(d.movie(1).title()).isEqualTo("Toy Story (1995)");
        assertThat(d.movie(1).genres()).containsExactly("Animation", "Children's", "Comedy");
        assertThat(d.movie(543).title()).isEqualTo("Misérables, Les (1995)");
        assertThat(d.movie(1104).title()).isEqualTo("C'est arrivé près de chez vous (1992)");
        assertThat(d.user(1)).isEqualTo(new UserProfile(1, "M", 24, 18, "technician", "85711"));
        double mean = 0;
        for (float r : d.ratings().ratings()) mean += r;
        assertThat(mean / d.ratings().size()).isCloseTo(3.52986, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(d.loadReport().charset("u.item")).isEqualTo("ISO-8859-1");
        assertThat(d.loadReport().files()).hasSize(4); // u.genre too
        assertThat(d.loadReport().warnings()).isEmpty();
    }

    @Test
    void presetsEncodeMl1mHalfAndPrintCardinalities() throws Exception {
        Path dir = TestDatasets.ml1mHalf();
        for (FeaturePreset preset : FeaturePreset.values()) {
            MovieLensData d = MovieLensReader.read(dir, preset.labelRule());
            MovieLensEncoder full = MovieLensEncoder.fit(preset, d);
            EncodedDataset all = full.encode(d);
            assertThat(all.size()).isEqualTo(d.ratings().size());
            assertThat(all.fields().stream().map(FieldSpec::name).collect(Collectors.toList())).isEqualTo(preset.fieldNames());
            Split s = SplitSpec.globalTemporal(0.8, 0).apply(d.ratings().size(), null, d.ratings().timestamps());
            MovieLensData train = d.select(s.train());
            MovieLensEncoder enc = MovieLensEncoder.fit(preset, train);
            EncodedDataset test = enc.encode(d.select(s.test()));
            assertThat(test.size()).isEqualTo(s.test().length);
            System.out.println("ml-1m-half " + preset + " rows=" + d.ratings().size() + " full: " + sizes(full.fieldSpecs()));
            System.out.println("ml-1m-half " + preset + " train80: " + sizes(enc.fieldSpecs()));
            if (preset == FeaturePreset.SEEDS) {
                assertThat(full.vocabulary("user_id").size()).isEqualTo(2_999 + 1);
                assertThat(full.vocabulary("movie_id").size()).isEqualTo(3_615 + 1);
                assertThat((double) all.bytesUsed() / all.size()).isLessThanOrEqualTo(64.0);
                assertThat(enc.vocabulary("movie_id").oovCount()).isPositive();
            } else {
                assertThat(d.ratings().size()).isLessThan(487_650); // rating 3 dropped
                float[] rt = all.valueColumn(5);
                for (float v : rt) assertThat(v).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void candidatesForARealUser() throws Exception {
        MovieLensData d = MovieLensReader.read(TestDatasets.ml100k(), FeaturePreset.SEEDS.labelRule());
        Split s = SplitSpec.perUserLastK(5, 0).apply(d.ratings().size(), d.ratings().userIds(), d.ratings().timestamps());
        MovieLensEncoder enc = MovieLensEncoder.fit(FeaturePreset.SEEDS, d.select(s.train()));
        int[] all = enc.catalogue().itemIds();
        List<String> warnings = new java.util.ArrayList<>();
        EncodedDataset c = enc.catalogue().candidates(enc.contextRow(1, java.util.Map.of("year", "1998", "month", "4"), warnings), 0, all);
        assertThat(warnings).isEmpty();
        assertThat(c.size()).isEqualTo(all.length).isGreaterThan(1_600);
        assertThat(enc.vocabulary("movie_id").value(c.id(0, 1))).isEqualTo(Integer.toString(all[0]));
        assertThat(enc.vocabulary("occupation").value(c.id(0, 12))).isEqualTo("technician");
        assertThat(enc.vocabulary("rating_year").value(c.id(0, 4))).isEqualTo("1998");
        System.out.println("ml-100k SEEDS per-user train: " + sizes(enc.fieldSpecs()));
    }

    static String sizes(List<FieldSpec> specs) {
        return specs.stream().map(f -> f.name() + "=" + f.vocabularySize()).collect(Collectors.joining(" "));
    }
}
