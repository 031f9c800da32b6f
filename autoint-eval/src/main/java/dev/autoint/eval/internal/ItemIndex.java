package dev.autoint.eval.internal;

import dev.autoint.data.Catalogue;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dense, immutable index over a {@link Catalogue}, built once per protocol run or {@code Recommender} and
 * shared by the metrics and the candidate scan: item id ↔ dense index (the catalogue's ascending id order), tag
 * (genre) bit sets, release years and normalised recency.
 *
 * <p>Recency of an item is {@code (year - minYear) / (maxYear - minYear)} over the items of the
 * catalog with a known year; it is 0 for an unknown year, and 0 for every item when all known
 * years are equal. Genre similarity is the Jaccard index {@code |A ∩ B| / |A ∪ B|} of the genre
 * sets, with {@code J(∅, ∅) = 1}.
 *
 * <p>Thread-safe (immutable).
 */
public final class ItemIndex {

    /** Year of an item whose release year is unknown (the catalogue's convention). */
    public static final int UNKNOWN_YEAR = 0;

    private final Catalogue catalogue;
    private final int[] ids;          // sorted ascending
    private final int[] years;
    private final double[] recency;
    private final String[] genreNames;
    private final int words;          // longs per genre mask
    private final long[] masks;       // words per item
    private final int[] genreCounts;  // |genres(item)|

    private ItemIndex(Catalogue catalogue) {
        this.catalogue = catalogue;
        List<Catalogue.Item> items = catalogue.items();
        this.ids = catalogue.itemIds(); // ascending and distinct: the catalogue checks both
        int n = ids.length;
        years = new int[n];
        Map<String, Integer> genreIds = new LinkedHashMap<>();
        int[][] itemGenres = new int[n][];
        int minYear = Integer.MAX_VALUE;
        int maxYear = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int y = items.get(i).year();
            years[i] = y;
            if (y != UNKNOWN_YEAR) {
                minYear = Math.min(minYear, y);
                maxYear = Math.max(maxYear, y);
            }
            List<String> gs = items.get(i).tags();
            int[] g = new int[gs.size()];
            for (int j = 0; j < g.length; j++) {
                g[j] = genreIds.computeIfAbsent(gs.get(j), k -> genreIds.size());
            }
            itemGenres[i] = g;
        }
        genreNames = genreIds.keySet().toArray(new String[0]);
        words = Math.max(1, (genreNames.length + 63) >>> 6);
        masks = new long[n * words];
        genreCounts = new int[n];
        recency = new double[n];
        double span = maxYear > minYear ? (double) maxYear - minYear : 0.0;
        for (int i = 0; i < n; i++) {
            for (int g : itemGenres[i]) {
                masks[i * words + (g >>> 6)] |= 1L << (g & 63);
            }
            int c = 0;
            for (int w = 0; w < words; w++) {
                c += Long.bitCount(masks[i * words + w]);
            }
            genreCounts[i] = c;
            if (span > 0 && years[i] != UNKNOWN_YEAR) {
                recency[i] = (years[i] - minYear) / span;
            }
        }
    }

    /**
     * Builds the index.
     *
     * @param catalogue the catalogue
     * @return the index
     * @throws NullPointerException if {@code catalogue} is null
     */
    public static ItemIndex of(Catalogue catalogue) {
        return new ItemIndex(java.util.Objects.requireNonNull(catalogue, "catalogue"));
    }

    /** @return the catalogue this index was built from */
    public Catalogue catalogue() {
        return catalogue;
    }

    /**
     * The catalogue entry at a dense index.
     *
     * @param index a dense index, in {@code [0, size())}
     * @return the item
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public Catalogue.Item item(int index) {
        return catalogue.items().get(index);
    }

    /** @return the number of items */
    public int size() {
        return ids.length;
    }

    /**
     * The item id at a dense index (ids ascend with the index).
     *
     * @param index a dense index, in {@code [0, size())}
     * @return the item id
     * @throws ArrayIndexOutOfBoundsException if {@code index} is out of range
     */
    public int id(int index) {
        return ids[index];
    }

    /**
     * The dense index of an item id.
     *
     * @param itemId an item id
     * @return the dense index, or -1 if it is not in the catalog
     */
    public int indexOf(int itemId) {
        int i = Arrays.binarySearch(ids, itemId);
        return i >= 0 ? i : -1;
    }

    /**
     * The release year at a dense index.
     *
     * @param index a dense index, in {@code [0, size())}
     * @return the year, or {@link #UNKNOWN_YEAR}
     */
    public int year(int index) {
        return years[index];
    }

    /**
     * The normalised recency at a dense index (see the class description).
     *
     * @param index a dense index, in {@code [0, size())}
     * @return the recency, in [0, 1]
     */
    public double recency(int index) {
        return recency[index];
    }

    /** @return the number of distinct genres in the catalog */
    public int genreCount() {
        return genreNames.length;
    }

    /**
     * The name of a genre; genres are numbered in order of first appearance.
     *
     * @param g a genre number, in {@code [0, genreCount())}
     * @return the name
     */
    public String genreName(int g) {
        return genreNames[g];
    }

    /**
     * Whether an item has a genre.
     *
     * @param index a dense index, in {@code [0, size())}
     * @param g     a genre number, in {@code [0, genreCount())}
     * @return true iff the item at {@code index} has genre {@code g}
     */
    public boolean hasGenre(int index, int g) {
        return (masks[index * words + (g >>> 6)] & (1L << (g & 63))) != 0;
    }

    /**
     * The number of genres of an item.
     *
     * @param index a dense index, in {@code [0, size())}
     * @return the count, >= 0
     */
    public int genreCountOf(int index) {
        return genreCounts[index];
    }

    /**
     * Jaccard similarity of the genre sets of two items (dense indices); 1 when both are empty.
     *
     * @param a dense index
     * @param b dense index
     * @return {@code |A ∩ B| / |A ∪ B|}
     */
    public double jaccard(int a, int b) {
        int inter = 0;
        int union = 0;
        int oa = a * words;
        int ob = b * words;
        for (int w = 0; w < words; w++) {
            long x = masks[oa + w];
            long y = masks[ob + w];
            inter += Long.bitCount(x & y);
            union += Long.bitCount(x | y);
        }
        return union == 0 ? 1.0 : (double) inter / union;
    }
}
