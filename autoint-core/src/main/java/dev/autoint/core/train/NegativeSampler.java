package dev.autoint.core.train;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Draws a negative item for each positive training row, for pairwise training
 * ({@link Trainer.Builder#pairwise}): the negative row is the positive row with its item fields replaced by
 * those of another item of a catalogue, so the user and context stay and only the item changes.
 *
 * <p>The catalogue is one encoded row per item ({@code items}, with the model's fields) and a mask of the
 * fields that describe the item (for example {@code Catalogue.features()} and {@code Catalogue.itemFields()}).
 * A training row's item is the catalogue row whose item fields hold exactly the same values; a training row
 * whose item is in no catalogue row counts for no item. The item is drawn
 * <ul>
 *   <li>{@link #uniform}: uniformly over the catalogue;</li>
 *   <li>{@link #popularity}: with probability proportional to {@code count^β}, where {@code count} is the
 *       number of training rows (every label) of the item; items absent from training are never drawn, β = 0
 *       is uniform over the items seen in training and β = 1 follows their frequency.</li>
 * </ul>
 * What is excluded: the positive row's own item, always. With {@link #excludingSeen}, also every item the
 * row's user has a training row with (of any label), by rejection: up to {@value #SEEN_TRIES} draws, after which
 * a seen item (never the positive one) is accepted, which only happens for users who have seen almost every
 * item of the distribution. Validation and test rows are not looked at.
 *
 * <p>Draws are deterministic: the negative of training row r in epoch e depends only on (seed, e, r), so it is
 * the same for every thread count and batch size. Instances are immutable.
 */
public final class NegativeSampler {

    /** Draws per negative before a seen item is accepted (see the class comment). */
    static final int SEEN_TRIES = 64;

    private final EncodedDataset items;
    private final boolean[] itemFields;
    private final double beta; // NaN: uniform
    private final int[] users; // null: exclude only the positive's own item

    private NegativeSampler(EncodedDataset items, boolean[] itemFields, double beta, int[] users) {
        this.items = items;
        this.itemFields = itemFields;
        this.beta = beta;
        this.users = users;
    }

    /**
     * Draws items uniformly over the catalogue.
     *
     * @param items      one encoded row per item, with the model's fields, at least 2 rows
     * @param itemFields per field of {@code items}: does it describe the item? At least one must; copied
     * @return the sampler
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code items} has fewer than 2 rows, or {@code itemFields} has the wrong
     *                                  length or marks no field
     */
    public static NegativeSampler uniform(EncodedDataset items, boolean[] itemFields) {
        return new NegativeSampler(items, checkFields(items, itemFields), Double.NaN, null);
    }

    /**
     * Draws item i with probability proportional to {@code count_i^β}, {@code count_i} its training rows.
     *
     * @param items      one encoded row per item, with the model's fields, at least 2 rows
     * @param itemFields per field of {@code items}: does it describe the item? At least one must; copied
     * @param beta       the exponent β, finite and &ge; 0 (word2vec's 0.75 flattens the head; 1 is the frequency)
     * @return the sampler
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code beta} is negative or not finite, {@code items} has fewer than 2
     *                                  rows, or {@code itemFields} has the wrong length or marks no field
     */
    public static NegativeSampler popularity(EncodedDataset items, boolean[] itemFields, double beta) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("popularity beta must be finite and >= 0, got " + beta);
        }
        return new NegativeSampler(items, checkFields(items, itemFields), beta, null);
    }

    /**
     * This sampler, also excluding the items each user has training rows with (see the class comment).
     *
     * @param users {@code users[r]} is the user of training row r of the dataset given to {@link Trainer#fit}
     *              (any int, for example the user id); copied
     * @return a new sampler
     * @throws NullPointerException if {@code users} is null
     */
    public NegativeSampler excludingSeen(int[] users) {
        return new NegativeSampler(items, itemFields, beta, Objects.requireNonNull(users, "users").clone());
    }

    private static boolean[] checkFields(EncodedDataset items, boolean[] itemFields) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(itemFields, "itemFields");
        if (items.size() < 2) throw new IllegalArgumentException("items: a negative sampler needs at least 2 item rows, got " + items.size());
        if (itemFields.length != items.numFields()) {
            throw new IllegalArgumentException("itemFields has " + itemFields.length + " entries for " + items.numFields() + " fields");
        }
        boolean any = false;
        for (boolean b : itemFields) any |= b;
        if (!any) throw new IllegalArgumentException("itemFields marks no field as describing the item");
        return itemFields.clone();
    }

    @Override
    public String toString() {
        return (Double.isNaN(beta) ? "uniform" : "popularity(beta=" + beta + ")") + " over " + items.size() + " items"
                + (users != null ? ", excluding seen items" : "");
    }

    /**
     * Checks this sampler against a training set and indexes it: each row's item, the drawing distribution
     * and, with {@link #excludingSeen}, the (user, item) pairs of training.
     *
     * @throws IllegalArgumentException if the fields differ, the user array's length is not the row count, no
     *                                  training row's item is in the catalogue, or fewer than 2 items can be drawn
     */
    Bound bind(EncodedDataset train) {
        if (!train.fields().equals(items.fields())) {
            throw new IllegalArgumentException("the negative sampler's item rows have other fields than the training set: "
                    + items.fields() + " vs " + train.fields());
        }
        if (users != null && users.length != train.size()) {
            throw new IllegalArgumentException("excludingSeen: " + users.length + " users for " + train.size() + " training rows");
        }
        return new Bound(train);
    }

    /** A sampler bound to one training set. */
    final class Bound {
        private final int[] itemOf; // per training row: its catalogue row, or -1
        private final double[] cdf; // popularity: cumulative weights per catalogue row; null for uniform
        private final long[] seen; // sorted distinct (user << 32 | item); null without excludingSeen

        private Bound(EncodedDataset train) {
            Map<ItemKey, Integer> index = new HashMap<>();
            for (int i = 0; i < items.size(); i++) index.putIfAbsent(key(items, i), i);
            int n = train.size();
            itemOf = new int[n];
            int[] counts = new int[items.size()];
            int known = 0;
            for (int r = 0; r < n; r++) {
                Integer i = index.get(key(train, r));
                itemOf[r] = i == null ? -1 : i;
                if (i != null) {
                    counts[i]++;
                    known++;
                }
            }
            if (known == 0) {
                throw new IllegalArgumentException("no training row's item fields match an item row of the negative sampler "
                        + "(are the item rows and the item fields those of the training set's encoder?)");
            }
            if (Double.isNaN(beta)) {
                cdf = null;
            } else {
                cdf = new double[items.size()];
                double sum = 0;
                int drawable = 0;
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        sum += Math.pow(counts[i], beta);
                        drawable++;
                    }
                    cdf[i] = sum;
                }
                if (drawable < 2) {
                    throw new IllegalArgumentException("popularity sampling needs at least 2 items with training rows, got " + drawable);
                }
            }
            if (users != null) {
                long[] pairs = new long[n];
                int m = 0;
                for (int r = 0; r < n; r++) if (itemOf[r] >= 0) pairs[m++] = pair(users[r], itemOf[r]);
                Arrays.sort(pairs, 0, m);
                int u = 0;
                for (int i = 0; i < m; i++) if (u == 0 || pairs[i] != pairs[u - 1]) pairs[u++] = pairs[i];
                seen = Arrays.copyOf(pairs, u);
            } else {
                seen = null;
            }
        }

        /** The catalogue row of training row {@code row}'s item, or -1 when it is in no catalogue row. */
        int itemOf(int row) {
            return itemOf[row];
        }

        /** The catalogue rows the distribution draws from, each with its probability (before exclusions). */
        double probability(int item) {
            if (cdf == null) return 1.0 / items.size();
            double lo = item == 0 ? 0 : cdf[item - 1];
            return (cdf[item] - lo) / cdf[cdf.length - 1];
        }

        /** The negative item (a catalogue row) of training row {@code row} in {@code epoch}. */
        int sample(int row, long seed, int epoch) {
            SplittableRandom rnd = new SplittableRandom(mix(seed, epoch, row));
            int positive = itemOf[row];
            for (int t = 0; t < SEEN_TRIES; t++) {
                int j = draw(rnd);
                if (j != positive && (seen == null || Arrays.binarySearch(seen, pair(users[row], j)) < 0)) return j;
            }
            while (true) { // ends: at least 2 items can be drawn
                int j = draw(rnd);
                if (j != positive) return j;
            }
        }

        private int draw(SplittableRandom rnd) {
            if (cdf == null) return rnd.nextInt(items.size());
            double u = rnd.nextDouble() * cdf[cdf.length - 1];
            int lo = 0, hi = cdf.length - 1; // the first i with cdf[i] > u: zero-weight items are never chosen
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] > u) hi = mid;
                else lo = mid + 1;
            }
            return lo;
        }

        /**
         * The negatives of rows {@code order[from .. from+size)} of {@code train} in {@code epoch}: row i is
         * training row {@code order[from+i]} with the item fields of its sampled item.
         */
        EncodedDataset negatives(EncodedDataset train, int[] order, int from, int size, long seed, int epoch) {
            int[] context = Arrays.copyOfRange(order, from, from + size);
            int[] negItems = new int[size];
            for (int i = 0; i < size; i++) negItems[i] = sample(context[i], seed, epoch);
            return EncodedDataset.candidates(train, context, items, negItems, itemFields);
        }
    }

    private static long pair(int user, int item) {
        return ((long) user << 32) | (item & 0xFFFFFFFFL);
    }

    /** A seed for (seed, epoch, row): SplitMix64's finaliser over a combination of the three. */
    private static long mix(long seed, int epoch, int row) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L) + 0xC2B2AE3D27D4EB4FL * (row + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The values of a row's item fields, compared by content. */
    private ItemKey key(EncodedDataset data, int row) {
        List<FieldSpec> fields = data.fields();
        int len = 0;
        for (int f = 0; f < fields.size(); f++) {
            if (!itemFields[f]) continue;
            len += switch (fields.get(f).kind()) {
                case CATEGORICAL, NUMERIC -> 1;
                case MULTI_CATEGORICAL -> 1 + data.multiIds(row, f).length;
            };
        }
        int[] k = new int[len];
        int p = 0;
        for (int f = 0; f < fields.size(); f++) {
            if (!itemFields[f]) continue;
            switch (fields.get(f).kind()) {
                case CATEGORICAL -> k[p++] = data.id(row, f);
                case NUMERIC -> k[p++] = Float.floatToIntBits(data.value(row, f));
                case MULTI_CATEGORICAL -> {
                    int[] ids = data.multiIds(row, f);
                    k[p++] = ids.length;
                    System.arraycopy(ids, 0, k, p, ids.length);
                    p += ids.length;
                }
            }
        }
        return new ItemKey(k);
    }

    private record ItemKey(int[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ItemKey other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }
}
