package dev.autoint.eval;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.data.Catalogue;
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
    public static Catalogue catalog(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Catalogue.Item> items = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            int g = 1 + r.nextInt(3);
            List<String> gs = new ArrayList<>();
            while (gs.size() < g) {
                String s = GENRES[r.nextInt(GENRES.length)];
                if (!gs.contains(s)) {
                    gs.add(s);
                }
            }
            items.add(item(i, "Movie " + i, 1919 + r.nextInt(82), gs));
        }
        return catalogue(items);
    }

    /** An item whose key is its id as text. */
    public static Catalogue.Item item(int id, String title, int year, List<String> genres) {
        return new Catalogue.Item(id, Integer.toString(id), title, year, genres);
    }

    /** A catalogue of the items (ascending ids), genres as tags, with one item-id feature row per item. */
    public static Catalogue catalogue(List<Catalogue.Item> items) {
        EncodedDataset.Builder b = EncodedDataset.builder(List.of(FieldSpec.categorical("item", items.size() + 1)));
        for (int i = 0; i < items.size(); i++) {
            b.categorical(0, i + 1).endRow(0f);
        }
        return new Catalogue("genre", items, b.build(), new boolean[] {true});
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
