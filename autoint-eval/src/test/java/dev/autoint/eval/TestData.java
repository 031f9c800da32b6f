package dev.autoint.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic catalogs and interactions for tests. */
public final class TestData {

    public static final String[] GENRES = {"Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
        "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi",
        "Thriller", "War", "Western"};

    private TestData() {
    }

    /** Items 1..n with 1-3 random genres and years 1919..2000. */
    public static ItemCatalog catalog(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ItemCatalog.Item> items = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            int g = 1 + r.nextInt(3);
            List<String> gs = new ArrayList<>();
            while (gs.size() < g) {
                String s = GENRES[r.nextInt(GENRES.length)];
                if (!gs.contains(s)) {
                    gs.add(s);
                }
            }
            items.add(new ItemCatalog.Item(i, "Movie " + i, 1919 + r.nextInt(82), gs));
        }
        return ItemCatalog.of(items);
    }

    /** Random rows: each of {@code users} users rates {@code perUser} distinct items of 1..items. */
    public static Interactions interactions(int users, int perUser, int items, long seed, int userOffset) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = users * perUser;
        int[] us = new int[n];
        int[] is = new int[n];
        float[] ls = new float[n];
        long[] ts = new long[n];
        int row = 0;
        for (int u = 0; u < users; u++) {
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int j = 0; j < perUser; j++) {
                int it;
                do {
                    it = 1 + r.nextInt(items);
                } while (!seen.add(it));
                us[row] = u + userOffset;
                is[row] = it;
                ls[row] = r.nextInt(2);
                ts[row] = 1_000_000L + row;
                row++;
            }
        }
        return Interactions.of(us, is, ls, ts);
    }

    /** A deterministic pseudo-random but stable score for (user, item). */
    public static float hashScore(int user, int item) {
        long z = user * 0x9E3779B97F4A7C15L + item * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 31)) * 0xBF58476D1CE4E5B9L;
        z ^= z >>> 29;
        return (float) ((z >>> 40) / (double) (1L << 24));
    }
}
