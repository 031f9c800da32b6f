package dev.autoint.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The items (movies) that can be recommended, with the side information used for diversity,
 * novelty, recency re-ranking and explanations: title, release year and genres.
 *
 * <p>An adapter over the data module implements it; {@link #of(List)} gives a simple in-memory
 * catalog. Implementations must be immutable and thread-safe.
 */
public interface ItemCatalog {

    /** Year returned by {@link #year(int)} when the release year is unknown. */
    int UNKNOWN_YEAR = 0;

    /** @return every item id of the catalog, each once (the caller does not modify the array) */
    int[] itemIds();

    /**
     * The title of an item.
     *
     * @param item an item id of {@link #itemIds()}
     * @return the title, or an empty string
     * @throws IllegalArgumentException if the item is not in the catalog
     */
    String title(int item);

    /**
     * The release year of an item.
     *
     * @param item an item id of {@link #itemIds()}
     * @return the year, or {@link #UNKNOWN_YEAR}
     * @throws IllegalArgumentException if the item is not in the catalog
     */
    int year(int item);

    /**
     * The genres of an item.
     *
     * @param item an item id of {@link #itemIds()}
     * @return the genres, possibly empty, never null
     * @throws IllegalArgumentException if the item is not in the catalog
     */
    List<String> genres(int item);

    /**
     * One catalog entry for {@link #of(List)}.
     *
     * @param id     the item id
     * @param title  the title; null becomes empty
     * @param year   the release year, or {@link #UNKNOWN_YEAR}
     * @param genres the genres; null becomes empty
     */
    record Item(int id, String title, int year, List<String> genres) {
        /**
         * Defaults the title and copies the genres.
         *
         * @param id     the item id
         * @param title  the title, or null for empty
         * @param year   the release year, or {@link #UNKNOWN_YEAR}
         * @param genres the genres, or null for none; copied
         */
        public Item {
            title = title == null ? "" : title;
            genres = List.copyOf(genres == null ? List.of() : genres);
        }
    }

    /**
     * An immutable in-memory catalog.
     *
     * @param items the entries; ids must be distinct
     * @return the catalog
     */
    static ItemCatalog of(List<Item> items) {
        Map<Integer, Item> byId = new HashMap<>(items.size() * 2);
        int[] ids = new int[items.size()];
        int i = 0;
        for (Item it : items) {
            Objects.requireNonNull(it, "item");
            if (byId.put(it.id(), it) != null) {
                throw new IllegalArgumentException("duplicate item id " + it.id());
            }
            ids[i++] = it.id();
        }
        List<Item> copy = List.copyOf(new ArrayList<>(items));
        return new ItemCatalog() {
            @Override public int[] itemIds() { return Arrays.copyOf(ids, ids.length); }
            @Override public String title(int item) { return get(item).title(); }
            @Override public int year(int item) { return get(item).year(); }
            @Override public List<String> genres(int item) { return get(item).genres(); }
            private Item get(int item) {
                Item it = byId.get(item);
                if (it == null) {
                    throw new IllegalArgumentException("unknown item " + item);
                }
                return it;
            }
            @Override public String toString() { return "ItemCatalog[" + copy.size() + " items]"; }
        };
    }
}
