package dev.autoint.data;

import dev.autoint.core.data.EncodedDataset;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The items a model can recommend, in ascending id order, each with what people see (key, title, year,
 * tags such as genres) and its encoded item features: row {@code i} of {@link #features()} holds item
 * {@code i}'s values of the fields marked in {@link #itemFields()} (other fields of that row are unused).
 * Immutable and thread-safe.
 */
public final class Catalogue {

    /**
     * One item.
     *
     * @param id    the item id used in interactions and by scorers
     * @param key   the item's value in the raw data (for MovieLens the movie id as text)
     * @param title what to show; the key when the data has no title
     * @param year  release year, or 0 when unknown or not applicable
     * @param tags  labels used for diversity and explanations (MovieLens genres); may be empty
     */
    public record Item(int id, String key, String title, int year, List<String> tags) {
        /**
         * Copies the tags and defaults the title.
         *
         * @param id    the item id
         * @param key   the item's value in the raw data, not null
         * @param title what to show; null or empty becomes the key
         * @param year  release year, or 0 when unknown
         * @param tags  labels such as genres; null for none; copied
         * @throws NullPointerException if {@code key} is null
         */
        public Item {
            Objects.requireNonNull(key, "key");
            title = title == null || title.isEmpty() ? key : title;
            tags = List.copyOf(tags == null ? List.of() : tags);
        }
    }

    private static final Catalogue EMPTY = new Catalogue("tag", List.of(), null, null);

    private final String tagLabel;
    private final List<Item> items;
    private final int[] ids;
    private final EncodedDataset features;
    private final boolean[] itemFields;
    private final java.util.Map<String, Item> byKey;

    /**
     * @param tagLabel   what one tag is called in explanations ("genre")
     * @param items      the items, in strictly ascending id order, keys distinct
     * @param features   one row per item, in the order of {@code items}; may be null only when {@code items} is empty
     * @param itemFields per field of {@code features}: does it describe the item? Copied; may be null only when
     *                   {@code items} is empty
     * @throws NullPointerException     if {@code tagLabel} is null, or {@code features} or {@code itemFields} is
     *                                  null for a non-empty catalogue
     * @throws IllegalArgumentException if ids are not strictly ascending, keys repeat, or {@code features} or
     *                                  {@code itemFields} has the wrong size
     */
    public Catalogue(String tagLabel, List<Item> items, EncodedDataset features, boolean[] itemFields) {
        this.tagLabel = Objects.requireNonNull(tagLabel, "tagLabel");
        Item[] sorted = items.toArray(new Item[0]);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i].id() <= sorted[i - 1].id()) {
                throw new IllegalArgumentException("catalogue items must be in ascending id order without duplicates (id "
                        + sorted[i].id() + " after " + sorted[i - 1].id() + ")");
            }
        }
        this.items = List.of(sorted);
        this.ids = new int[sorted.length];
        for (int i = 0; i < sorted.length; i++) ids[i] = sorted[i].id();
        if (!this.items.isEmpty()) {
            Objects.requireNonNull(features, "features");
            Objects.requireNonNull(itemFields, "itemFields");
            if (features.size() != sorted.length) {
                throw new IllegalArgumentException("catalogue of " + sorted.length + " items has " + features.size() + " feature rows");
            }
            if (itemFields.length != features.numFields()) {
                throw new IllegalArgumentException("itemFields has " + itemFields.length + " entries for " + features.numFields() + " fields");
            }
        }
        this.features = features;
        this.itemFields = itemFields == null ? null : itemFields.clone();
        java.util.Map<String, Item> keys = new java.util.HashMap<>(sorted.length * 2);
        for (Item it : sorted) {
            if (keys.put(it.key(), it) != null) throw new IllegalArgumentException("duplicate item key '" + it.key() + "'");
        }
        this.byKey = keys;
    }

    /**
     * A catalogue without items (data that declares none).
     *
     * @return the shared empty catalogue
     */
    public static Catalogue empty() {
        return EMPTY;
    }

    /**
     * Whether the catalogue has no items.
     *
     * @return true when {@code size() == 0}
     */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /**
     * The number of items.
     *
     * @return the count
     */
    public int size() {
        return items.size();
    }

    /**
     * Items in ascending id order.
     *
     * @return an unmodifiable list
     */
    public List<Item> items() {
        return items;
    }

    /**
     * Every item id, ascending (a copy).
     *
     * @return a new array
     */
    public int[] itemIds() {
        return ids.clone();
    }

    /**
     * The position of an item id in {@link #items()}, or -1.
     *
     * @param id an item id
     * @return the index, or -1 when the item is not in the catalogue
     */
    public int indexOf(int id) {
        int i = Arrays.binarySearch(ids, id);
        return i >= 0 ? i : -1;
    }

    /**
     * The item with this id.
     *
     * @param id an item id
     * @return the item
     * @throws IllegalArgumentException if the catalogue has no such item
     */
    public Item item(int id) {
        int i = indexOf(id);
        if (i < 0) throw new IllegalArgumentException("no item " + id + " in the catalogue");
        return items.get(i);
    }

    /**
     * The item whose raw key is {@code key}, or null.
     *
     * @param key the item's value in the raw data
     * @return the item, or null
     */
    public Item byKey(String key) {
        return byKey.get(key);
    }

    /**
     * What a tag is called ("genre").
     *
     * @return the label
     */
    public String tagLabel() {
        return tagLabel;
    }

    /**
     * One row per item (ascending id) holding the item fields; read-only.
     *
     * @return the features, or null for an empty catalogue
     */
    public EncodedDataset features() {
        return features;
    }

    /**
     * Which fields describe the item (a copy).
     *
     * @return one flag per field of {@link #features()}; empty for an empty catalogue
     */
    public boolean[] itemFields() {
        return itemFields == null ? new boolean[0] : itemFields.clone();
    }

    /**
     * Rows for {@code itemIds[i]} in the context of row {@code row} of {@code context}: item fields from the
     * catalogue, every other field from the context row. See {@link EncodedDataset#candidates}.
     *
     * @param context a dataset with the same fields as {@link #features()}, such as
     *                {@link FeatureEncoder#contextRow}'s result
     * @param row     the context row
     * @param itemIds the items to score, in output order
     * @return a new dataset of {@code itemIds.length} rows, labels 0
     * @throws IllegalArgumentException  if an item is not in the catalogue or the fields differ
     * @throws IndexOutOfBoundsException if {@code row} is out of range
     */
    public EncodedDataset candidates(EncodedDataset context, int row, int[] itemIds) {
        int[] rows = new int[itemIds.length];
        for (int i = 0; i < rows.length; i++) {
            int r = indexOf(itemIds[i]);
            if (r < 0) throw new IllegalArgumentException("no item " + itemIds[i] + " in the catalogue");
            rows[i] = r;
        }
        return EncodedDataset.candidates(context, row, features, rows, itemFields);
    }
}
