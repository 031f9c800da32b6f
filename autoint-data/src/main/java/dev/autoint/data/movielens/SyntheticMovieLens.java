package dev.autoint.data.movielens;

import dev.autoint.data.LabelRule;
import dev.autoint.data.movielens.MovieLensData.LoadReport;
import dev.autoint.data.movielens.MovieLensData.Movie;
import dev.autoint.data.movielens.MovieLensData.Ratings;
import dev.autoint.data.movielens.MovieLensData.UserProfile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates MovieLens-shaped data with planted structure, the offline default for demos and tests.
 *
 * <p>The output is a {@link MovieLensData} exactly like {@link MovieLensReader}'s, so presets, splits and
 * candidate encoding work on it unchanged. Users get MovieLens-1M demographics (gender, age group,
 * occupation, zip); movies get a release year (skewed to recent years), one to three genres and a
 * popularity; each user rates between 20 and many movies, drawn by popularity, at timestamps between
 * 2000-04-26 and 2003-02-28. A rating is {@code round(clamp(3.5 + userBias + movieQuality +
 * mean genre affinity + 0.8 * ageOld * movieOld + noise, 1, 5))}, where
 * <ul>
 *   <li>the user-genre affinity is a per-user random taste plus a shared gender-by-genre shift (for example
 *       men prefer Action, Sci-Fi and War, women Romance, Musical and Children's) and an age-by-genre
 *       shift (younger users prefer Horror and Animation, older Film-Noir and War);</li>
 *   <li>{@code ageOld} in [-1, 1] grows with the user's age group and {@code movieOld} in [-1, 1] with the
 *       movie's age, so older users prefer older movies (an age x decade interaction);</li>
 *   <li>noise is Gaussian with standard deviation 0.6.</li>
 * </ul>
 * Everything is drawn from one {@link SplittableRandom} seeded by {@link Builder#seed}, with its own
 * Gaussian and bounded-int derivations, so a seed gives the same data on every JDK.
 */
public final class SyntheticMovieLens {

    /** The MovieLens-1M genres. */
    public static final List<String> GENRES = List.of("Action", "Adventure", "Animation", "Children's", "Comedy",
            "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance",
            "Sci-Fi", "Thriller", "War", "Western");

    private static final double[] GENRE_WEIGHT = {
        8, 5, 2, 3, 12, 4, 2, 16, 1, 1, 4, 2, 2, 6, 3, 6, 2, 1};
    private static final double[] MALE_SHIFT = {
        0.5, 0.3, -0.2, -0.4, 0, 0.2, 0, -0.1, 0, 0.2, 0.1, -0.5, 0, -0.5, 0.5, 0.2, 0.5, 0.3};
    private static final double[] YOUNG_SHIFT = {
        0.3, 0.2, 0.4, 0.2, 0.2, 0, -0.3, -0.2, 0.2, -0.5, 0.5, -0.2, -0.1, 0, 0.2, 0.1, -0.5, -0.4};
    private static final int[] AGE_GROUPS = {1, 18, 25, 35, 45, 50, 56};
    private static final double[] AGE_WEIGHT = {4, 18, 35, 20, 9, 8, 6};
    private static final long T_START = 956_703_932L; // 2000-04-25T23:05:32Z, the first MovieLens-1M rating
    private static final long T_END = 1_046_454_590L; // 2003-02-28T17:49:50Z, the last

    private final int users;
    private final int movies;
    private final int ratingsPerUser;
    private final long seed;
    private final LabelRule labelRule;

    private SyntheticMovieLens(Builder b) {
        this.users = b.users;
        this.movies = b.movies;
        this.ratingsPerUser = b.ratingsPerUser;
        this.seed = b.seed;
        this.labelRule = b.labelRule;
    }

    /**
     * A generator with the defaults: 1000 users, 500 movies, 50 ratings per user, seed 42, label rating &gt;= 4.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of the generator; every setter validates its argument. */
    public static final class Builder {
        private int users = 1000;
        private int movies = 500;
        private int ratingsPerUser = 50;
        private long seed = 42;
        private LabelRule labelRule = LabelRule.atLeast(4);

        private Builder() {
        }

        /**
         * Number of users (default 1000).
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder users(int n) {
            if (n < 1) throw new IllegalArgumentException("users must be >= 1, got " + n);
            users = n;
            return this;
        }

        /**
         * Number of movies (default 500).
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder movies(int n) {
            if (n < 1) throw new IllegalArgumentException("movies must be >= 1, got " + n);
            movies = n;
            return this;
        }

        /**
         * Mean ratings per user (default 50); each user rates at least min(20, movies) movies.
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder ratingsPerUser(int n) {
            if (n < 1) throw new IllegalArgumentException("ratingsPerUser must be >= 1, got " + n);
            ratingsPerUser = n;
            return this;
        }

        /**
         * Seed of every random draw (default 42); a seed gives the same data on every JDK.
         *
         * @param s the seed
         * @return this builder
         */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /**
         * How ratings become labels; rows the rule drops are not generated (default: rating &gt;= 4).
         *
         * @param rule the rule
         * @return this builder
         * @throws NullPointerException if {@code rule} is null
         */
        public Builder labelRule(LabelRule rule) {
            labelRule = java.util.Objects.requireNonNull(rule, "rule");
            return this;
        }

        /**
         * Generates the data; the same settings always give the same data.
         *
         * @return the data, with {@link LoadReport#none()} as its report
         */
        public MovieLensData generate() {
            return new SyntheticMovieLens(this).run();
        }
    }

    private MovieLensData run() {
        SplittableRandom rnd = new SplittableRandom(seed);
        int ng = GENRES.size();
        // Movies.
        Map<Integer, Movie> movieMap = new HashMap<>();
        int[] year = new int[movies + 1];
        int[][] genresOf = new int[movies + 1][];
        double[] quality = new double[movies + 1];
        double[] cumPop = new double[movies + 1];
        for (int m = 1; m <= movies; m++) {
            year[m] = (int) Math.max(1919, Math.min(2000, Math.round(2000.5 - exponential(rnd, 14))));
            int k = 1 + bounded(rnd, 3);
            int[] gs = new int[k];
            int got = 0;
            while (got < k) {
                int g = weighted(rnd, GENRE_WEIGHT);
                boolean dup = false;
                for (int j = 0; j < got; j++) dup |= gs[j] == g;
                if (!dup) gs[got++] = g;
                else if (rnd.nextDouble() < 0.3) break; // fewer genres sometimes
            }
            gs = Arrays.copyOf(gs, got);
            Arrays.sort(gs);
            genresOf[m] = gs;
            quality[m] = 0.45 * gaussian(rnd);
            // Popularity: Zipf-like by a random rank, with better movies somewhat more popular.
            double pop = StrictMath.pow(1 + bounded(rnd, movies), -0.9) * StrictMath.exp(0.5 * quality[m]);
            cumPop[m] = cumPop[m - 1] + pop;
            List<String> names = new ArrayList<>(gs.length);
            for (int g : gs) names.add(GENRES.get(g));
            movieMap.put(m, new Movie(m, "Synthetic Movie " + m + " (" + year[m] + ")", year[m], names));
        }
        // Users and their ratings.
        Map<Integer, UserProfile> userMap = new HashMap<>();
        int zipPool = Math.max(10, users / 3);
        int cap = users * ratingsPerUser + 16;
        int[] ru = new int[cap], rm = new int[cap];
        float[] rr = new float[cap], rl = new float[cap];
        long[] rt = new long[cap];
        int n = 0;
        boolean[] seen = new boolean[movies + 1];
        int[] picked = new int[movies];
        double[] affinity = new double[ng];
        for (int u = 1; u <= users; u++) {
            boolean male = rnd.nextDouble() < 0.72;
            int ageIdx = weighted(rnd, AGE_WEIGHT);
            int occupation = bounded(rnd, 21);
            String zip = String.format(java.util.Locale.ROOT, "%05d", (int) ((bounded(rnd, zipPool) * 7919L) % 100_000));
            userMap.put(u, new UserProfile(u, male ? "M" : "F", AGE_GROUPS[ageIdx], AGE_GROUPS[ageIdx],
                    MovieLensReader.OCCUPATIONS_1M.get(occupation), zip));
            double bias = 0.35 * gaussian(rnd);
            double young = 1 - ageIdx / 3.0; // 1 for the youngest group, -1 for the oldest
            for (int g = 0; g < ng; g++) {
                affinity[g] = 0.5 * gaussian(rnd) + (male ? MALE_SHIFT[g] : -MALE_SHIFT[g]) + young * YOUNG_SHIFT[g];
            }
            int want = Math.min(movies, Math.max(Math.min(20, movies),
                    (int) Math.round(20 + exponential(rnd, Math.max(1, ratingsPerUser - 20)))));
            long start = T_START + (long) (rnd.nextDouble() * (T_END - T_START) * 0.9);
            int count = 0;
            int attempts = 0;
            while (count < want) {
                int m;
                if (attempts++ < want * 20) {
                    m = pickByPopularity(rnd, cumPop);
                    if (seen[m]) continue;
                } else {
                    m = 1 + bounded(rnd, movies); // fall back to uniform when popular movies are exhausted
                    if (seen[m]) continue;
                }
                seen[m] = true;
                picked[count++] = m;
            }
            for (int i = 0; i < count; i++) {
                int m = picked[i];
                seen[m] = false;
                double aff = 0;
                for (int g : genresOf[m]) aff += affinity[g];
                if (genresOf[m].length > 0) aff /= genresOf[m].length;
                double movieOld = Math.max(-1, Math.min(1, (1990 - year[m]) / 20.0));
                double score = 3.5 + bias + quality[m] + aff + 0.8 * (-young) * movieOld + 0.6 * gaussian(rnd);
                float rating = (float) Math.max(1, Math.min(5, Math.round(score)));
                long ts = Math.min(T_END, start + (long) exponential(rnd, 45 * 86_400.0));
                float label = labelRule.apply(rating);
                if (Float.isNaN(label)) continue;
                if (n == ru.length) {
                    int c = n * 2;
                    ru = Arrays.copyOf(ru, c);
                    rm = Arrays.copyOf(rm, c);
                    rr = Arrays.copyOf(rr, c);
                    rl = Arrays.copyOf(rl, c);
                    rt = Arrays.copyOf(rt, c);
                }
                ru[n] = u;
                rm[n] = m;
                rr[n] = rating;
                rt[n] = ts;
                rl[n] = label;
                n++;
            }
        }
        Ratings ratings = Ratings.of(Arrays.copyOf(ru, n), Arrays.copyOf(rm, n), Arrays.copyOf(rr, n),
                Arrays.copyOf(rt, n), Arrays.copyOf(rl, n));
        return new MovieLensData("synthetic(users=" + users + ", movies=" + movies + ", ratingsPerUser=" + ratingsPerUser
                + ", seed=" + seed + ")", movieMap, userMap, ratings, LoadReport.none());
    }

    private static int pickByPopularity(SplittableRandom rnd, double[] cum) {
        double x = rnd.nextDouble() * cum[cum.length - 1];
        int lo = 1, hi = cum.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cum[mid] > x) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /** Uniform in [0, bound): the high bits of a 64-bit draw times the bound (tiny bias, fully deterministic). */
    private static int bounded(SplittableRandom rnd, int bound) {
        return (int) (((rnd.nextLong() >>> 32) * bound) >>> 32);
    }

    private static int weighted(SplittableRandom rnd, double[] w) {
        double sum = 0;
        for (double x : w) sum += x;
        double x = rnd.nextDouble() * sum;
        for (int i = 0; i < w.length; i++) {
            x -= w[i];
            if (x < 0) return i;
        }
        return w.length - 1;
    }

    private static double exponential(SplittableRandom rnd, double mean) {
        return -mean * StrictMath.log(1 - rnd.nextDouble());
    }

    /** Box-Muller (one of the pair), so the stream does not depend on a JDK's Gaussian algorithm. */
    private static double gaussian(SplittableRandom rnd) {
        double u1 = 1 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }
}
