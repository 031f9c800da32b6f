package dev.autoint.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A frozen mapping from the string values of one categorical field to dense ids.
 *
 * <p>Id 0 is {@value #UNK}; known values get ids 1..size-1 <b>ordered by descending training count, ties
 * broken by ascending value</b> ({@link String#compareTo}), so the same training rows always give the same
 * ids. A vocabulary is fitted ({@link #fit}) on value counts of training rows only, optionally dropping values seen
 * fewer than {@code minCount} times and keeping at most {@code maxSize} known values (the most frequent).
 *
 * <p>At serving time {@link #id(String)} maps an unseen value to 0 and counts it in a per-vocabulary
 * out-of-vocabulary counter (thread-safe); it never throws. A {@code null} value means "missing": it maps
 * to 0 and is not counted. The literal value {@value #UNK} is reserved and always maps to 0.
 *
 * <p>Saved and loaded as JSON; {@link #save(Path)} writes atomically.
 */
public final class Vocabulary {

    /** The value of id 0. */
    public static final String UNK = "<<UNK>>";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String name;
    private final int minCount;
    private final int maxSize;
    private final String[] values; // [0] = UNK
    private final long[] counts; // [0] = count of training occurrences dropped by minCount/maxSize
    private final HashMap<String, Integer> index;
    private final LongAdder oov = new LongAdder();

    private Vocabulary(String name, int minCount, int maxSize, String[] values, long[] counts) {
        this.name = name;
        this.minCount = minCount;
        this.maxSize = maxSize;
        this.values = values;
        this.counts = counts;
        this.index = new HashMap<>(values.length * 2);
        for (int i = 1; i < values.length; i++) {
            if (index.put(values[i], i) != null) {
                throw new IllegalArgumentException("vocabulary '" + name + "': duplicate value \"" + values[i] + "\"");
            }
        }
    }

    /**
     * Fits a vocabulary on value counts: the values counted at least {@code minCount} times, the
     * {@code maxSize} most frequent of them (ties by value, ascending), get ids 1, 2, ... in descending count;
     * id 0 is {@value #UNK}, whose {@link #count count} is the occurrences of every value left out, plus
     * {@code cutOff}. A null value (missing), {@value #UNK} and zero counts are ignored.
     *
     * @param name     the field's name, not blank
     * @param counts   occurrences in the training rows by raw value; each count {@code >= 0}; not modified
     * @param cutOff   occurrences of values dropped before they reached {@code counts} because they occur fewer
     *                 than {@code minCount} times (a distributed fit filters them where the counts are summed and
     *                 sends only their total), {@code >= 0}
     * @param minCount keep values counted at least this often ({@code >= 1})
     * @param maxSize  keep at most this many values, the most frequent; 0 means unlimited
     * @return the vocabulary
     * @throws IllegalArgumentException if {@code name} is blank, a count or {@code cutOff} is negative,
     *                                  {@code minCount < 1} or {@code maxSize < 0}
     * @throws NullPointerException     if {@code name}, {@code counts} or a count is null
     */
    public static Vocabulary fit(String name, Map<String, Long> counts, long cutOff, int minCount, int maxSize) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("vocabulary name must not be blank");
        Objects.requireNonNull(counts, "counts");
        if (cutOff < 0) throw new IllegalArgumentException("vocabulary '" + name + "': cutOff must be >= 0, got " + cutOff);
        if (minCount < 1) throw new IllegalArgumentException("vocabulary '" + name + "': minCount must be >= 1, got " + minCount);
        if (maxSize < 0) throw new IllegalArgumentException("vocabulary '" + name + "': maxSize must be >= 0 (0 = unlimited), got " + maxSize);
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.size());
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            long n = Objects.requireNonNull(e.getValue(), "count of \"" + e.getKey() + "\"");
            if (n < 0) throw new IllegalArgumentException("vocabulary '" + name + "': count of \"" + e.getKey() + "\" must be >= 0, got " + n);
            if (e.getKey() != null && n != 0 && !UNK.equals(e.getKey())) entries.add(Map.entry(e.getKey(), n));
        }
        entries.sort((a, b) -> {
            int c = Long.compare(b.getValue(), a.getValue());
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        int keep = 0;
        long dropped = cutOff;
        for (Map.Entry<String, Long> e : entries) {
            if (e.getValue() >= minCount && (maxSize == 0 || keep < maxSize)) keep++;
            else dropped += e.getValue();
        }
        String[] values = new String[keep + 1];
        long[] cs = new long[keep + 1];
        values[0] = UNK;
        cs[0] = dropped;
        for (int i = 1; i <= keep; i++) {
            values[i] = entries.get(i - 1).getKey();
            cs[i] = entries.get(i - 1).getValue();
        }
        return new Vocabulary(name, minCount, maxSize, values, cs);
    }

    /**
     * The field name this vocabulary belongs to.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Number of ids, including id 0.
     *
     * @return at least 1
     */
    public int size() {
        return values.length;
    }

    /**
     * The id of a value; an unseen value gives 0 and is counted as out-of-vocabulary; null gives 0, uncounted.
     * Thread-safe.
     *
     * @param value the raw value, or null for missing
     * @return the id, in {@code [0, size())}
     */
    public int id(String value) {
        if (value == null) return 0;
        Integer id = index.get(value);
        if (id == null) {
            oov.increment();
            return 0;
        }
        return id;
    }

    /**
     * The id of a value, or -1 when it is unseen (or null, or {@value #UNK}); never counts.
     *
     * @param value the raw value, or null
     * @return the id, in {@code [1, size())}, or -1
     */
    public int find(String value) {
        if (value == null) return -1;
        Integer id = index.get(value);
        return id == null ? -1 : id;
    }

    /**
     * The value of an id; id 0 is {@value #UNK}.
     *
     * @param id the id, in {@code [0, size())}
     * @return the value
     * @throws IndexOutOfBoundsException if {@code id} is out of range
     */
    public String value(int id) {
        return values[Objects.checkIndex(id, values.length)];
    }

    /**
     * Training count of an id's value; for id 0, the training occurrences of values that were cut off.
     *
     * @param id the id, in {@code [0, size())}
     * @return the count, >= 0
     * @throws IndexOutOfBoundsException if {@code id} is out of range
     */
    public long count(int id) {
        return counts[Objects.checkIndex(id, counts.length)];
    }

    /**
     * All values in id order, starting with {@value #UNK}.
     *
     * @return an unmodifiable list of {@link #size()} values
     */
    public List<String> values() {
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    /**
     * The smallest training count a value needed to get its own id.
     *
     * @return at least 1
     */
    public int minCount() {
        return minCount;
    }

    /**
     * Maximum number of known values (excluding id 0); 0 means unlimited.
     *
     * @return the limit, >= 0
     */
    public int maxSize() {
        return maxSize;
    }

    /**
     * The {@link FieldSpec} of a field encoded with this vocabulary (kind CATEGORICAL or MULTI_CATEGORICAL).
     *
     * @param kind {@link FieldKind#CATEGORICAL} or {@link FieldKind#MULTI_CATEGORICAL}
     * @return a spec named {@link #name()} with vocabulary size {@link #size()}
     * @throws IllegalArgumentException if {@code kind} is {@link FieldKind#NUMERIC}
     */
    public FieldSpec fieldSpec(FieldKind kind) {
        if (kind == FieldKind.NUMERIC) throw new IllegalArgumentException("a vocabulary belongs to a categorical field, not NUMERIC");
        return new FieldSpec(name, kind, values.length);
    }

    /**
     * How many unseen values were looked up since fitting, loading or the last reset.
     *
     * @return the count
     */
    public long oovCount() {
        return oov.sum();
    }

    /**
     * Adds to the out-of-vocabulary counter (for encoders that resolve ids in bulk). Thread-safe.
     *
     * @param n unseen lookups to add; values {@code <= 0} are ignored
     */
    public void recordOov(long n) {
        if (n > 0) oov.add(n);
    }

    /** Sets the out-of-vocabulary counter to 0. Thread-safe. */
    public void resetOovCount() {
        oov.reset();
    }

    /**
     * This vocabulary as a JSON tree: name, minCount, maxSize, and the values and counts in id order.
     *
     * @return a new tree
     */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", name);
        o.put("minCount", minCount);
        o.put("maxSize", maxSize);
        ArrayNode v = o.putArray("values");
        ArrayNode c = o.putArray("counts");
        for (int i = 0; i < values.length; i++) {
            v.add(values[i]);
            c.add(counts[i]);
        }
        return o;
    }

    /**
     * Reads a vocabulary from the tree {@link #toJson()} wrote.
     *
     * @param o the tree
     * @return the vocabulary, with its out-of-vocabulary counter at 0
     * @throws IllegalArgumentException if the tree is malformed, does not start with {@value #UNK}, or repeats a value
     */
    public static Vocabulary fromJson(JsonNode o) {
        if (o == null || !o.isObject()) throw new IllegalArgumentException("vocabulary JSON must be an object");
        String name = text(o, "name");
        JsonNode v = o.get("values");
        JsonNode c = o.get("counts");
        if (v == null || !v.isArray() || c == null || !c.isArray() || v.size() != c.size() || v.size() == 0) {
            throw new IllegalArgumentException("vocabulary '" + name + "': 'values' and 'counts' must be non-empty arrays of equal length");
        }
        if (!UNK.equals(v.get(0).asText())) {
            throw new IllegalArgumentException("vocabulary '" + name + "': values[0] must be " + UNK);
        }
        String[] values = new String[v.size()];
        long[] counts = new long[v.size()];
        for (int i = 0; i < values.length; i++) {
            if (!v.get(i).isTextual() || !c.get(i).canConvertToLong()) {
                throw new IllegalArgumentException("vocabulary '" + name + "': entry " + i + " is malformed");
            }
            values[i] = v.get(i).asText();
            counts[i] = c.get(i).asLong();
        }
        return new Vocabulary(name, o.path("minCount").asInt(1), o.path("maxSize").asInt(0), values, counts);
    }

    /**
     * Writes this vocabulary as JSON, atomically (temporary file in the same directory, then atomic move).
     *
     * @param file the file to write; replaced if it exists
     * @throws IOException if the file cannot be written
     */
    public void save(Path file) throws IOException {
        dev.autoint.core.internal.io.AtomicFiles.writeBytes(file, JSON.writeValueAsBytes(toJson()));
    }

    /**
     * Reads a vocabulary {@link #save} wrote.
     *
     * @param file the file
     * @return the vocabulary, with its out-of-vocabulary counter at 0
     * @throws NoSuchFileException if the file does not exist
     * @throws DataFormatException if the file is not JSON or not a vocabulary
     * @throws IOException         if the file cannot be read
     */
    public static Vocabulary load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "vocabulary file not found");
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException(file.toString(), 0, 0, null, "not valid JSON (" + e.getMessage() + ")", e);
        }
        try {
            return fromJson(tree);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file.toString(), 0, 0, null, e.getMessage(), e);
        }
    }

    private static String text(JsonNode o, String key) {
        JsonNode n = o.get(key);
        if (n == null || !n.isTextual()) throw new IllegalArgumentException("vocabulary JSON needs a string '" + key + "'");
        return n.asText();
    }

    @Override
    public String toString() {
        return "Vocabulary[" + name + ", size " + values.length + ", oov " + oov.sum() + "]";
    }
}
