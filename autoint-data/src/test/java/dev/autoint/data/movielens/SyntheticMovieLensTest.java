package dev.autoint.data.movielens;

import dev.autoint.data.movielens.MovieLensData.Movie;
import dev.autoint.data.movielens.MovieLensData.Ratings;
import dev.autoint.data.movielens.MovieLensData.UserProfile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticMovieLensTest {

    @Test
    void isDeterministicBySeed() {
        MovieLensData a = SyntheticMovieLens.builder().users(100).movies(80).seed(11).generate();
        MovieLensData b = SyntheticMovieLens.builder().users(100).movies(80).seed(11).generate();
        MovieLensData c = SyntheticMovieLens.builder().users(100).movies(80).seed(12).generate();
        assertThat(a.ratings().movieIds()).isEqualTo(b.ratings().movieIds());
        assertThat(a.ratings().timestamps()).isEqualTo(b.ratings().timestamps());
        assertThat(a.ratings().ratings()).isEqualTo(b.ratings().ratings());
        assertThat(a.movies()).isEqualTo(b.movies());
        assertThat(a.users()).isEqualTo(b.users());
        assertThat(a.ratings().movieIds()).isNotEqualTo(c.ratings().movieIds());
    }

    @Test
    void hasMovieLensShapeAndPlantedTastes() {
        MovieLensData d = SyntheticMovieLens.builder().users(2000).movies(400).ratingsPerUser(40).seed(1).generate();
        Ratings r = d.ratings();
        assertThat(d.users()).hasSize(2000);
        assertThat(d.movies()).hasSize(400);
        assertThat(r.size()).isBetween(60_000, 100_000);
        double pos = 0;
        for (float l : r.labels()) pos += l;
        assertThat(pos / r.size()).isBetween(0.35, 0.7);
        for (int i = 0; i < r.size(); i++) {
            assertThat(r.ratings()[i]).isBetween(1f, 5f);
            assertThat(r.timestamps()[i]).isBetween(956_703_932L, 1_046_454_590L);
        }
        // gender x genre: men rate Action higher than women do, and Romance lower
        double[] sum = new double[4];
        int[] cnt = new int[4];
        // age x decade: the oldest users rate old movies higher than the youngest users do
        double[] age = new double[2];
        int[] ageCnt = new int[2];
        for (int i = 0; i < r.size(); i++) {
            UserProfile u = d.user(r.userIds()[i]);
            Movie m = d.movie(r.movieIds()[i]);
            boolean male = u.gender().equals("M");
            if (m.genres().equals(java.util.List.of("Action"))) {
                sum[male ? 0 : 1] += r.ratings()[i];
                cnt[male ? 0 : 1]++;
            }
            if (m.genres().equals(java.util.List.of("Romance"))) {
                sum[male ? 2 : 3] += r.ratings()[i];
                cnt[male ? 2 : 3]++;
            }
            if (m.year() < 1975 && (u.ageGroup() == 56 || u.ageGroup() == 1)) {
                int k = u.ageGroup() == 56 ? 0 : 1;
                age[k] += r.ratings()[i];
                ageCnt[k]++;
            }
        }
        assertThat(sum[0] / cnt[0]).isGreaterThan(sum[1] / cnt[1] + 0.3);
        assertThat(sum[2] / cnt[2]).isLessThan(sum[3] / cnt[3] - 0.3);
        assertThat(age[0] / ageCnt[0]).isGreaterThan(age[1] / ageCnt[1] + 0.5);
    }
}
