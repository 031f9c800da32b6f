package dev.autoint.data.movielens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.internal.io.AtomicFiles;
import dev.autoint.data.Catalogue;
import dev.autoint.data.DataFormatException;
import dev.autoint.data.FeatureEncoder;
import dev.autoint.data.LabelRule;
import dev.autoint.data.UserDirectory;
import dev.autoint.data.Vocabulary;
import dev.autoint.data.internal.MinMaxScaler;
import dev.autoint.data.movielens.MovieLensData.LoadReport;
import dev.autoint.data.movielens.MovieLensData.Movie;
import dev.autoint.data.movielens.MovieLensData.Ratings;
import dev.autoint.data.movielens.MovieLensData.UserProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns MovieLens-shaped rows into an {@link EncodedDataset} for one {@link FeaturePreset}, with
 * vocabularies (and, for {@link FeaturePreset#PAPER}, the request-time scaler) fitted on training rows only.
 *
 * <p>Use: read raw rows, split them ({@link dev.autoint.data.SplitSpec}), {@link #fit} on the train part,
 * then {@link #encode} every part. Row {@code i} of an encoded dataset is row {@code i} of the
 * {@link Ratings} it came from. For recommendation, {@link #contextRow} encodes a user at a context month
 * and {@link Catalogue#candidates} combines it with every candidate movie's fields. Values unseen in training map to id 0 and are counted per vocabulary
 * ({@link Vocabulary#oovCount()}); missing values (unknown year, unknown user profile) map to 0 uncounted.
 *
 * <p>Fitting and encoding work on ints: values are counted per distinct user, movie and month, so strings
 * are made once per distinct entity, never per row. Thread-safe after fitting.
 */
public final class MovieLensEncoder implements FeatureEncoder {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The {@code format} of its {@value FeatureEncoder#FILE}. */
    public static final String FORMAT = "autoint-movielens-encoder";
    /** The movies and user profiles it builds candidate rows from, beside {@value FeatureEncoder#FILE}. */
    public static final String CATALOGUE_FILE = "movielens-catalogue.json";
    private static final String[] NONE = new String[0];

    private enum Source { USER, MOVIE, TIME, TIMESTAMP }

    /** A field's values for one key of its source, typed by the source: one record per source. */
    private sealed interface Extractor {
        Source source();

        /** The values for a user id, a movie id or a month key ({@link #monthKey}) in {@code data}. */
        String[] values(int key, MovieLensData data);
    }

    private interface UserValues {
        /** @param profile null when the user file has no such user */
        String[] of(int userId, UserProfile profile);
    }

    private interface MovieValues {
        /** @param movie null when the movie file has no such movie */
        String[] of(int movieId, Movie movie);
    }

    private interface MonthValues {
        String[] of(int year, int month);
    }

    private record FromUser(UserValues fn) implements Extractor {
        @Override
        public Source source() {
            return Source.USER;
        }

        @Override
        public String[] values(int userId, MovieLensData data) {
            return fn.of(userId, data.user(userId));
        }
    }

    private record FromMovie(MovieValues fn) implements Extractor {
        @Override
        public Source source() {
            return Source.MOVIE;
        }

        @Override
        public String[] values(int movieId, MovieLensData data) {
            return fn.of(movieId, data.movie(movieId));
        }
    }

    private record FromMonth(MonthValues fn) implements Extractor {
        @Override
        public Source source() {
            return Source.TIME;
        }

        @Override
        public String[] values(int monthKey, MovieLensData data) {
            return monthKey == Integer.MIN_VALUE ? NONE : fn.of(Math.floorDiv(monthKey, 12), Math.floorMod(monthKey, 12) + 1);
        }
    }

    /** A field: its values come from {@code extractor}, or for the numeric request time (null) from the timestamp. */
    private record Feature(String name, FieldKind kind, Extractor extractor) {
        Source source() {
            return extractor == null ? Source.TIMESTAMP : extractor.source();
        }
    }

    private final FeaturePreset preset;
    private final List<Feature> features;
    private final Vocabulary[] vocabularies; // null for NUMERIC
    private final MinMaxScaler timeScaler; // for NUMERIC request_time
    private final List<FieldSpec> specs;
    private final MovieLensData catalog;
    private final int[] itemIds; // the movies rated in training, ascending: what can be recommended
    private volatile Catalogue itemCatalogue; // built on first use
    private final UserDirectory users;

    private MovieLensEncoder(FeaturePreset preset, Vocabulary[] vocabularies, MinMaxScaler timeScaler, MovieLensData catalog,
                             int[] itemIds) {
        this.preset = preset;
        this.features = features(preset);
        this.vocabularies = vocabularies;
        this.timeScaler = timeScaler;
        this.catalog = catalog;
        this.itemIds = itemIds;
        List<UserDirectory.User> us = new ArrayList<>(catalog.users().size());
        for (UserProfile p : catalog.users().values()) {
            Map<String, String> profile = new java.util.LinkedHashMap<>();
            profile.put("gender", p.gender());
            profile.put("age", Integer.toString(p.age()));
            profile.put("occupation", p.occupation());
            profile.put("zip", p.zip());
            us.add(new UserDirectory.User(p.id(), Integer.toString(p.id()), profile));
        }
        this.users = new UserDirectory(us);
        List<FieldSpec> s = new ArrayList<>();
        for (int f = 0; f < features.size(); f++) {
            Feature ft = features.get(f);
            s.add(switch (ft.kind) {
                case CATEGORICAL -> FieldSpec.categorical(ft.name, vocabularies[f].size());
                case MULTI_CATEGORICAL -> FieldSpec.multiCategorical(ft.name, vocabularies[f].size());
                case NUMERIC -> FieldSpec.numeric(ft.name);
            });
        }
        this.specs = List.copyOf(s);
    }

    private static List<Feature> features(FeaturePreset preset) {
        Feature gender = user("gender", p -> p.gender());
        Feature age = user("age", p -> Integer.toString(p.ageGroup()));
        Feature occupation = user("occupation", UserProfile::occupation);
        Feature zip = user("zip", UserProfile::zip);
        return switch (preset) {
            case SEEDS -> List.of(
                    new Feature("user_id", FieldKind.CATEGORICAL, new FromUser((id, p) -> new String[] {Integer.toString(id)})),
                    new Feature("movie_id", FieldKind.CATEGORICAL, new FromMovie((id, m) -> new String[] {Integer.toString(id)})),
                    movie("movie_decade", m -> m.year() > 0 ? decade(m.year()) : null),
                    movie("movie_year", m -> m.year() > 0 ? Integer.toString(m.year()) : null),
                    time("rating_year", (y, mo) -> Integer.toString(y)),
                    time("rating_month", (y, mo) -> Integer.toString(mo)),
                    time("rating_decade", (y, mo) -> decade(y)),
                    movie("genre1", m -> genre(m, 0)),
                    movie("genre2", m -> genre(m, 1)),
                    movie("genre3", m -> genre(m, 2)),
                    gender, age, occupation, zip);
            case PAPER -> List.of(gender, age, occupation, zip,
                    movie("release_year", m -> m.year() > 0 ? decade(m.year()) : null),
                    new Feature("request_time", FieldKind.NUMERIC, null),
                    new Feature("genres", FieldKind.MULTI_CATEGORICAL,
                            new FromMovie((id, m) -> m == null ? NONE : m.genres().toArray(NONE))));
        };
    }

    private interface UserFn {
        String of(UserProfile p);
    }

    private interface MovieFn {
        String of(Movie m);
    }

    private interface TimeFn {
        String of(int year, int month);
    }

    private static Feature user(String name, UserFn fn) {
        return new Feature(name, FieldKind.CATEGORICAL, new FromUser((id, p) -> p == null ? NONE : one(fn.of(p))));
    }

    private static Feature movie(String name, MovieFn fn) {
        return new Feature(name, FieldKind.CATEGORICAL, new FromMovie((id, m) -> m == null ? NONE : one(fn.of(m))));
    }

    private static Feature time(String name, TimeFn fn) {
        return new Feature(name, FieldKind.CATEGORICAL, new FromMonth((y, mo) -> one(fn.of(y, mo))));
    }

    private static String[] one(String v) {
        return v == null ? NONE : new String[] {v};
    }

    private static String decade(int year) {
        return Math.floorDiv(year, 10) * 10 + "s";
    }

    private static String genre(Movie m, int k) {
        return m.genres().size() > k ? m.genres().get(k) : "none";
    }

    /** Each catalogue movie's encoded fields by movie id, filled on first use ({@link #movieEntry}). */
    private final java.util.concurrent.ConcurrentHashMap<Integer, int[][]> movieCache =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Fits every vocabulary on all rows of {@code train}, keeping every value seen (minimum count 1, no size
     * limit), and the request-time scaler on their timestamps.
     *
     * @param preset the fields to derive
     * @param train  the training rows, with the movies and user profiles they refer to; kept as the catalogue
     * @return the fitted encoder
     * @throws NullPointerException if {@code preset} is null
     */
    public static MovieLensEncoder fit(FeaturePreset preset, MovieLensData train) {
        return fit(preset, train, 1, 0);
    }

    /**
     * Fits every vocabulary on all rows of {@code train}, and the request-time scaler on their timestamps
     * (Unix seconds; [0, 0] when there are no rows). Values are counted per row, so a user's gender counts
     * once per rating. The movies rated in {@code train} become the recommendable catalogue.
     *
     * @param preset   the fields to derive
     * @param train    the training rows, with the movies and user profiles they refer to; kept as the catalogue
     * @param minCount keep values seen at least this often in training (&gt;= 1)
     * @param maxSize  keep at most this many values per field, the most frequent (0 = unlimited)
     * @return the fitted encoder
     * @throws NullPointerException     if {@code preset} is null
     * @throws IllegalArgumentException if {@code minCount < 1} or {@code maxSize < 0}
     */
    public static MovieLensEncoder fit(FeaturePreset preset, MovieLensData train, int minCount, int maxSize) {
        Objects.requireNonNull(preset, "preset");
        Ratings r = train.ratings();
        int n = r.size();
        int[] u = r.userIds(), m = r.movieIds();
        long[] t = r.timestamps();
        IntIntMap userCount = new IntIntMap(1024), movieCount = new IntIntMap(1024), monthCount = new IntIntMap(64);
        long tMin = Long.MAX_VALUE, tMax = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            userCount.add(u[i], 1);
            movieCount.add(m[i], 1);
            monthCount.add(monthKey(t[i]), 1);
            tMin = Math.min(tMin, t[i]);
            tMax = Math.max(tMax, t[i]);
        }
        List<Feature> features = features(preset);
        Vocabulary[] vocab = new Vocabulary[features.size()];
        for (int f = 0; f < features.size(); f++) {
            Feature ft = features.get(f);
            if (ft.kind == FieldKind.NUMERIC) continue;
            Map<String, Long> c = new HashMap<>();
            IntIntMap counts = switch (ft.source()) {
                case USER -> userCount;
                case MOVIE -> movieCount;
                default -> monthCount;
            };
            for (int s = 0; s < counts.capacity(); s++) {
                if (!counts.used(s)) continue;
                int key = counts.keyAt(s);
                for (String v : values(ft, key, train)) if (v != null) c.merge(v, (long) counts.valueAt(s), Long::sum);
            }
            vocab[f] = Vocabulary.fit(ft.name, c, 0, minCount, maxSize);
        }
        MinMaxScaler scaler = n == 0 ? new MinMaxScaler(0, 0) : new MinMaxScaler(tMin, tMax);
        int[] rated = new int[movieCount.size()];
        int k = 0;
        for (int s = 0; s < movieCount.capacity(); s++) if (movieCount.used(s)) rated[k++] = movieCount.keyAt(s);
        java.util.Arrays.sort(rated);
        return new MovieLensEncoder(preset, vocab, scaler, train, rated);
    }

    private static String[] values(Feature ft, int key, MovieLensData data) {
        return ft.extractor == null ? NONE : ft.extractor.values(key, data);
    }

    /**
     * The preset whose fields this encoder derives.
     *
     * @return the preset, never null
     */
    public FeaturePreset preset() {
        return preset;
    }

    /**
     * The fields of every dataset this encoder makes, with vocabulary sizes.
     *
     * @return an unmodifiable list, in {@link FeaturePreset#fieldNames()} order
     */
    public List<FieldSpec> fieldSpecs() {
        return specs;
    }

    /**
     * The vocabulary of a categorical or multi-valued field.
     *
     * @param field the field's name, one of {@link FeaturePreset#fieldNames()}
     * @return the field's frozen vocabulary
     * @throws IllegalArgumentException if the preset has no such field or it is numeric ({@code request_time})
     */
    public Vocabulary vocabulary(String field) {
        for (int f = 0; f < features.size(); f++) {
            if (features.get(f).name.equals(field)) {
                if (vocabularies[f] == null) throw new IllegalArgumentException("field '" + field + "' is numeric");
                return vocabularies[f];
            }
        }
        throw new IllegalArgumentException("no field '" + field + "' in preset " + preset + "; fields: " + preset.fieldNames());
    }

    /**
     * Every vocabulary by field name, in field order (numeric fields omitted).
     *
     * @return a new unmodifiable map
     */
    public Map<String, Vocabulary> vocabularies() {
        Map<String, Vocabulary> m = new java.util.LinkedHashMap<>();
        for (int f = 0; f < features.size(); f++) {
            if (vocabularies[f] != null) m.put(features.get(f).name, vocabularies[f]);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * The request-time scaler: training min and max of the rating timestamps, in Unix seconds. Fitted for
     * every preset; only {@link FeaturePreset#PAPER} encodes a scaled time, but both clip context months to it.
     *
     * @return the scaler
     */
    MinMaxScaler timeScaler() {
        return timeScaler;
    }

    /**
     * The movies and user profiles candidate and context rows are built from: the training data, or after
     * {@link #load} the saved movies and profiles without ratings.
     *
     * @return the data
     */
    public MovieLensData catalog() {
        return catalog;
    }

    /**
     * Encodes every rating row of {@code data}, using its own movies and user profiles for the movie and user
     * fields. Row {@code i} of the result is rating {@code i}, with its label. Values unseen in training
     * become id 0 and are added to the vocabulary's {@link Vocabulary#oovCount()}; the fields read from the
     * movie or user file are id 0, uncounted, for a movie or user missing from it.
     *
     * @param data the rows to encode, e.g. one part of a split
     * @return a new dataset with {@link #fieldSpecs()}, one row per rating
     */
    public EncodedDataset encode(MovieLensData data) {
        return encode(data, data.ratings());
    }

    private EncodedDataset encode(MovieLensData cat, Ratings r) {
        int n = r.size();
        int nf = features.size();
        int[] u = r.userIds(), m = r.movieIds();
        long[] t = r.timestamps();
        float[] labels = r.labels();
        EncodedDataset.Builder b = EncodedDataset.builder(specs, n);
        IntIntMap userSlot = new IntIntMap(1024), movieSlot = new IntIntMap(1024), monthSlot = new IntIntMap(64);
        List<int[][]> userIds = new ArrayList<>(), movieIds = new ArrayList<>(), monthIds = new ArrayList<>();
        long[] oov = new long[nf];
        int lastMonthKey = Integer.MAX_VALUE;
        int[][] lastMonth = null;
        for (int i = 0; i < n; i++) {
            int[][] ue = entry(Source.USER, u[i], userSlot, userIds, cat);
            int[][] me = cat == catalog ? movieEntry(m[i]) : entry(Source.MOVIE, m[i], movieSlot, movieIds, cat);
            int mk = monthKey(t[i]);
            int[][] te;
            if (mk == lastMonthKey) {
                te = lastMonth;
            } else {
                te = entry(Source.TIME, mk, monthSlot, monthIds, cat);
                lastMonthKey = mk;
                lastMonth = te;
            }
            for (int f = 0; f < nf; f++) {
                Feature ft = features.get(f);
                int[] ids = switch (ft.source()) {
                    case USER -> ue[f];
                    case MOVIE -> me[f];
                    case TIME -> te[f];
                    case TIMESTAMP -> null;
                };
                switch (ft.kind) {
                    case CATEGORICAL -> {
                        int id = ids.length == 0 ? 0 : ids[0];
                        if (id < 0) {
                            oov[f]++;
                            id = 0;
                        }
                        b.categorical(f, id);
                    }
                    case MULTI_CATEGORICAL -> {
                        for (int id : ids) {
                            if (id < 0) {
                                oov[f]++;
                                id = 0;
                            }
                            b.addMulti(f, id);
                        }
                    }
                    case NUMERIC -> b.numeric(f, timeScaler.scale(t[i]));
                }
            }
            b.endRow(labels[i]);
        }
        for (int f = 0; f < nf; f++) {
            if (vocabularies[f] != null) vocabularies[f].recordOov(oov[f]);
        }
        return b.build();
    }

    /**
     * A catalogue movie's encoded fields, computed once and kept: the vocabularies are frozen, so the entry
     * never changes, and scoring every candidate movie for user after user then costs no string lookups.
     */
    private int[][] movieEntry(int movieId) {
        int[][] e = movieCache.get(movieId);
        if (e == null) {
            e = entry(Source.MOVIE, movieId, new IntIntMap(4), new ArrayList<>(1), catalog);
            movieCache.putIfAbsent(movieId, e);
        }
        return e;
    }

    /** The resolved ids (-1 = unseen value) of every field of this source for one entity, cached by slot. */
    private int[][] entry(Source source, int key, IntIntMap slots, List<int[][]> table, MovieLensData cat) {
        int s = slots.get(key, -1);
        if (s >= 0) return table.get(s);
        int nf = features.size();
        int[][] e = new int[nf][];
        for (int f = 0; f < nf; f++) {
            Feature ft = features.get(f);
            if (ft.source() != source) continue;
            String[] vals = values(ft, key, cat);
            int[] ids = new int[vals.length];
            for (int k = 0; k < vals.length; k++) ids[k] = vocabularies[f].find(vals[k]);
            e[f] = ids;
        }
        if (key != Integer.MIN_VALUE) {
            slots.put(key, table.size());
            table.add(e);
        }
        return e;
    }

    /** {@code year * 12 + month - 1} of a Unix time in UTC, or Integer.MIN_VALUE outside years 1..9999. */
    static int monthKey(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86_400L);
        if (days < -719_162L || days > 2_932_896L) return Integer.MIN_VALUE; // 0001-01-01 .. 9999-12-31
        long z = days + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        long doe = z - era * 146_097L;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long month = mp < 10 ? mp + 3 : mp - 9;
        if (month <= 2) y++;
        return (int) (y * 12 + month - 1);
    }

    // ------------------------------------------------------------------ FeatureEncoder

    @Override
    public LabelRule labelRule() {
        return preset.labelRule();
    }

    /**
     * The movies rated in training (the model knows no others), with their movie fields encoded; tags are
     * the genres. A movie absent from the movie file is titled {@code "movie <id>"}. Built on first use, then
     * reused.
     *
     * @return the catalogue, in ascending movie id
     */
    @Override
    public Catalogue catalogue() {
        Catalogue c = itemCatalogue;
        if (c == null) {
            List<Catalogue.Item> items = new ArrayList<>(itemIds.length);
            for (int id : itemIds) {
                Movie m = catalog.movie(id);
                items.add(m == null ? new Catalogue.Item(id, Integer.toString(id), "movie " + id, 0, List.of())
                        : new Catalogue.Item(id, Integer.toString(id), m.title(), m.year(), m.genres()));
            }
            int n = itemIds.length;
            long t = (long) timeScaler.min();
            long[] times = new long[n];
            java.util.Arrays.fill(times, t);
            EncodedDataset rows = encode(catalog, Ratings.of(new int[n], itemIds.clone(), new float[n], times, new float[n]));
            boolean[] itemFields = new boolean[features.size()];
            for (int f = 0; f < itemFields.length; f++) itemFields[f] = features.get(f).source() == Source.MOVIE;
            c = new Catalogue("genre", items, rows, itemFields);
            itemCatalogue = c;
        }
        return c;
    }

    /**
     * Every user of the data's user file, with gender, age, occupation and zip.
     *
     * @return the users, never null
     */
    @Override
    public UserDirectory users() {
        return users;
    }

    /**
     * {@code year} and {@code month} (UTC) of the last training rating.
     *
     * @return a new map with keys {@code year} then {@code month}
     */
    @Override
    public Map<String, String> defaultContext() {
        java.time.ZonedDateTime t = java.time.Instant.ofEpochSecond((long) timeScaler.max()).atZone(ZoneOffset.UTC);
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("year", Integer.toString(t.getYear()));
        m.put("month", Integer.toString(t.getMonthValue()));
        return m;
    }

    /**
     * The user at the first second (UTC) of the context's month. A month outside the training period is
     * replaced by the nearest month inside it (the first or last training month), with a warning: the
     * time fields of a later month would be unknown ids (seeds preset) or a scaled time beyond the fitted
     * range (paper preset), which the model never saw.
     *
     * @param user     a user id of the user file
     * @param context  {@code year} (1..9999) and {@code month} (1..12); a missing key takes its
     *                 {@link #defaultContext()} value
     * @param warnings receives one line when the month is clipped; not null
     * @return a one-row dataset with {@link #fieldSpecs()}, label 0
     * @throws IllegalArgumentException if the user is unknown, a key is not {@code year} or {@code month}, or a
     *                                  value is not an integer in range
     */
    @Override
    public EncodedDataset contextRow(int user, Map<String, String> context, List<String> warnings) {
        if (users.get(user) == null) throw new IllegalArgumentException("user: no user " + user + " in the user file");
        for (String key : context.keySet()) {
            if (!key.equals("year") && !key.equals("month")) {
                throw new IllegalArgumentException(key + ": not a context key of a MovieLens model (year, month)");
            }
        }
        Map<String, String> d = defaultContext();
        int year = parseInt("year", context.getOrDefault("year", d.get("year")), 1, 9999);
        int month = parseInt("month", context.getOrDefault("month", d.get("month")), 1, 12);
        int key = year * 12 + month - 1;
        int first = monthKey((long) timeScaler.min()), last = monthKey((long) timeScaler.max());
        if (first != Integer.MIN_VALUE && (key < first || key > last)) {
            int clipped = key < first ? first : last;
            warnings.add(String.format(java.util.Locale.ROOT,
                    "context %04d-%02d is %s the training period (%04d-%02d to %04d-%02d): using %04d-%02d", year, month,
                    key < first ? "before" : "after", Math.floorDiv(first, 12), Math.floorMod(first, 12) + 1,
                    Math.floorDiv(last, 12), Math.floorMod(last, 12) + 1, Math.floorDiv(clipped, 12), Math.floorMod(clipped, 12) + 1));
            year = Math.floorDiv(clipped, 12);
            month = Math.floorMod(clipped, 12) + 1;
        }
        long ts = LocalDate.of(year, month, 1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        ts = Math.max((long) timeScaler.min(), Math.min((long) timeScaler.max(), ts));
        return encode(catalog, Ratings.of(new int[] {user}, new int[] {0}, new float[1], new long[] {ts}, new float[1]));
    }

    private static int parseInt(String key, String text, int min, int max) {
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not an integer");
        }
        if (v < min || v > max) throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + text);
        return (int) v;
    }

    /** A movie of {@value #CATALOGUE_FILE}. */
    private record SavedMovie(int id, String title, int year, List<String> genres) {
    }

    /** A user of {@value #CATALOGUE_FILE}. */
    private record SavedUser(int id, String gender, int age, int ageGroup, String occupation, String zip) {
    }

    /** What {@value #CATALOGUE_FILE} holds. */
    private record SavedCatalogue(String name, int[] recommendable, List<SavedMovie> movies, List<SavedUser> users) {
    }

    /**
     * Writes {@value FeatureEncoder#FILE} (preset, time range, vocabularies) and {@value #CATALOGUE_FILE}
     * (every movie and user profile, and which movies were rated in training) into {@code dir}, each
     * replaced atomically.
     *
     * @param dir the directory; created if missing
     * @throws IOException if a file cannot be written
     */
    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("version", 2);
        o.put("preset", preset.name());
        o.put("timeMin", timeScaler.min());
        o.put("timeMax", timeScaler.max());
        ArrayNode v = o.putArray("vocabularies");
        for (Vocabulary voc : vocabularies) {
            if (voc != null) v.add(voc.toJson());
        }
        AtomicFiles.writeBytes(dir.resolve(FILE), JSON.writeValueAsBytes(o));
        List<SavedMovie> movies = new ArrayList<>();
        for (Movie m : catalog.movies().values()) movies.add(new SavedMovie(m.id(), m.title(), m.year(), m.genres()));
        List<SavedUser> us = new ArrayList<>();
        for (UserProfile p : catalog.users().values()) {
            us.add(new SavedUser(p.id(), p.gender(), p.age(), p.ageGroup(), p.occupation(), p.zip()));
        }
        AtomicFiles.writeBytes(dir.resolve(CATALOGUE_FILE),
                COMPACT.writeValueAsBytes(new SavedCatalogue(catalog.name(), itemIds, movies, us)));
    }

    private static final ObjectMapper COMPACT = new ObjectMapper();

    /**
     * Loads what {@link #save} wrote into {@code dir}: no MovieLens files are read. The result has the saved
     * vocabularies, scaler and catalogue but no ratings; it encodes and scores like the encoder that was saved.
     *
     * @param dir the directory holding {@value FeatureEncoder#FILE} and {@value #CATALOGUE_FILE}
     * @return the encoder
     * @throws java.nio.file.NoSuchFileException if either file is missing
     * @throws DataFormatException               if a file is not valid JSON, has another format or version, or
     *                                           lacks a vocabulary or the time range
     * @throws IOException                       if a file cannot be read
     */
    public static MovieLensEncoder load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        Path catFile = dir.resolve(CATALOGUE_FILE);
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "encoder file not found");
        if (!Files.isRegularFile(catFile)) throw new NoSuchFileException(catFile.toString(), null, "MovieLens catalogue not found");
        try {
            JsonNode o = JSON.readTree(file.toFile());
            if (!FORMAT.equals(o.path("format").asText())) throw new IllegalArgumentException("not a " + FORMAT + " file");
            if (o.path("version").asInt() != 2) throw new IllegalArgumentException("version " + o.path("version").asInt() + " is not supported (2)");
            FeaturePreset preset = FeaturePreset.valueOf(o.path("preset").asText());
            List<Feature> features = features(preset);
            Map<String, Vocabulary> byName = new HashMap<>();
            for (JsonNode vn : o.path("vocabularies")) {
                Vocabulary voc = Vocabulary.fromJson(vn);
                byName.put(voc.name(), voc);
            }
            Vocabulary[] vocab = new Vocabulary[features.size()];
            for (int f = 0; f < features.size(); f++) {
                if (features.get(f).kind == FieldKind.NUMERIC) continue;
                vocab[f] = byName.get(features.get(f).name);
                if (vocab[f] == null) throw new IllegalArgumentException("missing vocabulary '" + features.get(f).name + "'");
            }
            if (!o.path("timeMin").isNumber() || !o.path("timeMax").isNumber()) throw new IllegalArgumentException("missing timeMin or timeMax");
            MinMaxScaler scaler = new MinMaxScaler(o.path("timeMin").asDouble(), o.path("timeMax").asDouble());
            SavedCatalogue sc;
            try {
                sc = COMPACT.readValue(catFile.toFile(), SavedCatalogue.class);
            } catch (IOException e) {
                throw new DataFormatException(catFile.toString(), 0, 0, null, "not a valid MovieLens catalogue (" + e.getMessage() + ")", e);
            }
            Map<Integer, Movie> movies = new HashMap<>();
            for (SavedMovie m : sc.movies()) movies.put(m.id(), new Movie(m.id(), m.title(), m.year(), m.genres()));
            Map<Integer, UserProfile> users = new HashMap<>();
            for (SavedUser u : sc.users()) users.put(u.id(), new UserProfile(u.id(), u.gender(), u.age(), u.ageGroup(), u.occupation(), u.zip()));
            MovieLensData cat = new MovieLensData(sc.name(), movies, users, Ratings.of(new int[0], new int[0], new float[0], new long[0], new float[0]), LoadReport.none());
            return new MovieLensEncoder(preset, vocab, scaler, cat, sc.recommendable().clone());
        } catch (DataFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFormatException(file.toString(), 0, 0, null, "not valid JSON (" + e.getMessage() + ")", e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new DataFormatException(file.toString(), 0, 0, null, e.getMessage(), e);
        }
    }
}
