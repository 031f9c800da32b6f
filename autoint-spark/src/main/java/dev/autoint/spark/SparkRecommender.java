package dev.autoint.spark;

import dev.autoint.data.Catalogue;
import dev.autoint.data.FeatureEncoder;
import dev.autoint.data.UserDirectory;
import dev.autoint.data.movielens.MovieLensEncoder;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.recommend.Recommender;
import dev.autoint.eval.recommend.Recommender.Recommendation;
import dev.autoint.eval.recommend.Recommender.Rerank;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Top-N recommendation for many users of a model bundle's catalogue on Spark, one output row per (user, rank):
 * the single-node {@link Recommender} run on the executors, partition by partition of user keys.
 *
 * <p>{@link #forBundle} verifies the bundle on the driver and broadcasts its files once, as {@link SparkScorer}
 * does. Each executor JVM loads the bundle once (shared with a {@code SparkScorer} of the same bundle) and builds
 * one {@link Recommender} over its catalogue and training interactions (the per-user sets of rated and liked
 * items), which every task on that executor reuses; a task only attaches the scorer for the configured context
 * ({@link Recommender#with}) and recommends for its users one after the other. So a user's list is exactly the
 * list {@code bin/autoint recommend} or the server gives for the same bundle, user, context and re-ranking: the
 * catalogue items the user did not rate in training, scored by the bundle's model, re-ranked by recency (α) and
 * genre diversity (λ, MMR), with explanations from the user's liked history and, when asked, from the model's
 * attention.
 *
 * <pre>{@code
 * try (SparkRecommender r = SparkRecommender.forBundle(spark, Path.of("runs/ml1m"))) {
 *     r.n(10).alpha(0.1).lambda(0.3).explanations(true);
 *     r.recommendAll().write().parquet("recommendations");            // every user the bundle knows
 *     Dataset<Row> some = r.recommend(spark.read().parquet("active-users"), "user_key");
 * }
 * }</pre>
 *
 * <p>Output columns: {@value #USER} (the user's key), {@value #RANK} (1-based), {@value #ITEM} (the item's key),
 * {@value #TITLE}, {@value #SCORE} (the model's probability), {@value #ADJUSTED_SCORE} (score + α · recency, the
 * value MMR ranks by), and with {@link #explanations} {@value #EXPLANATION} (an array of reasons). A user
 * gets {@code min(n, unrated items)} rows. Users that the bundle does not know (and null keys) get none and are
 * counted ({@link #unknownUsers()}).
 */
public final class SparkRecommender implements AutoCloseable {

    /** Output column: the user's key. */
    public static final String USER = "user";
    /** Output column: the rank, 1-based. */
    public static final String RANK = "rank";
    /** Output column: the item's key in the catalogue. */
    public static final String ITEM = "item";
    /** Output column: the item's title. */
    public static final String TITLE = "title";
    /** Output column: the model's click probability. */
    public static final String SCORE = "score";
    /** Output column: the score plus α times the item's recency. */
    public static final String ADJUSTED_SCORE = "adjusted_score";
    /** Output column (with {@link #explanations}): the reasons, history first, then attention. */
    public static final String EXPLANATION = "explanation";
    /** The list length unless told otherwise. */
    public static final int DEFAULT_N = 10;

    private final SparkSession spark;
    private final ModelBundle bundle;
    private final Broadcast<ShippedDirectory> shipped;
    private final long shippedBytes;
    private final LongAccumulator unknown;
    private int n = DEFAULT_N;
    private double alpha;
    private double lambda;
    private int pool;
    private boolean explanations;
    private int attentionPairs;
    private Map<String, String> context = Map.of();
    private int partitions;

    private SparkRecommender(SparkSession spark, ModelBundle bundle, Broadcast<ShippedDirectory> shipped, long shippedBytes) {
        this.spark = spark;
        this.bundle = bundle;
        this.shipped = shipped;
        this.shippedBytes = shippedBytes;
        this.unknown = spark.sparkContext().longAccumulator("autoint unknown users");
    }

    /**
     * Verifies the bundle in {@code bundleDir} on the driver and broadcasts its files to the executors.
     *
     * @param spark     the session
     * @param bundleDir a bundle that can recommend: an item catalogue, users and training interactions
     * @return the recommender, with {@value #DEFAULT_N} items per user and no re-ranking
     * @throws IOException              if the bundle cannot be read or does not verify
     * @throws IllegalArgumentException if the bundle cannot recommend
     */
    public static SparkRecommender forBundle(SparkSession spark, Path bundleDir) throws IOException {
        Objects.requireNonNull(spark, "spark");
        ModelBundle bundle = ModelBundle.load(bundleDir);
        if (!bundle.canRecommend()) {
            throw new IllegalArgumentException("the bundle " + bundleDir + " cannot recommend: it needs an item catalogue, users and"
                    + " training interactions (\"userColumn\" and \"items\" in the schema)");
        }
        ShippedDirectory files = ShippedDirectory.of(bundleDir);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return new SparkRecommender(spark, bundle, jsc.broadcast(files), files.bytes());
    }

    /**
     * The bundle as loaded on the driver.
     *
     * @return the bundle
     */
    public ModelBundle bundle() {
        return bundle;
    }

    /**
     * Bytes of the broadcast bundle files (each executor fetches them once).
     *
     * @return the size
     */
    public long broadcastBytes() {
        return shippedBytes;
    }

    /**
     * The list length.
     *
     * @return items per user (at most)
     */
    public int n() {
        return n;
    }

    /**
     * Sets the list length.
     *
     * @param items items per user, at least 1 (default {@value #DEFAULT_N})
     * @return this
     * @throws IllegalArgumentException if {@code items < 1}
     */
    public SparkRecommender n(int items) {
        if (items < 1) throw new IllegalArgumentException("n must be >= 1, got " + items);
        this.n = items;
        return this;
    }

    /**
     * Sets the recency weight α of {@link Rerank}: {@code adjusted = score + α · recency}.
     *
     * @param a finite and at least 0 (default 0)
     * @return this
     * @throws IllegalArgumentException if out of range
     */
    public SparkRecommender alpha(double a) {
        new Rerank(a, lambda, pool);
        this.alpha = a;
        return this;
    }

    /**
     * Sets the diversity weight λ of {@link Rerank} (MMR over a pool of the best candidates).
     *
     * @param l in [0, 1] (default 0: the order of the adjusted score)
     * @return this
     * @throws IllegalArgumentException if out of range
     */
    public SparkRecommender lambda(double l) {
        new Rerank(alpha, l, pool);
        this.lambda = l;
        return this;
    }

    /**
     * Sets the candidates MMR considers when λ &gt; 0.
     *
     * @param size at least 0; 0 (the default) means {@code max(5n, 50)}
     * @return this
     * @throws IllegalArgumentException if {@code size < 0}
     */
    public SparkRecommender pool(int size) {
        new Rerank(alpha, lambda, size);
        this.pool = size;
        return this;
    }

    /**
     * The re-ranking the lists are made with.
     *
     * @return α, λ and the pool size as a {@link Rerank}
     */
    public Rerank rerank() {
        return new Rerank(alpha, lambda, pool);
    }

    /**
     * Adds the {@value #EXPLANATION} column: reasons from the user's liked training items (preferred tag and
     * decade), which the recommender computes for every list anyway, so this costs only the column.
     *
     * @param on whether to add the column (default false)
     * @return this
     */
    public SparkRecommender explanations(boolean on) {
        this.explanations = on;
        return this;
    }

    /**
     * Adds the model's attention to the explanations: the {@code pairs} field pairs its last interacting layer
     * weighted most for the (user, item) row ({@link Recommender.ExplanationHook#attention}). It costs one more forward pass with
     * attention per recommended item (n per user, against the catalogue's size for the list itself). Turns
     * {@link #explanations} on.
     *
     * @param pairs field pairs to name, at least 1; or 0 for none (the default)
     * @return this
     * @throws IllegalArgumentException if {@code pairs < 0}, or pairs &gt; 0 and the model has no interacting layer
     */
    public SparkRecommender attention(int pairs) {
        if (pairs < 0) throw new IllegalArgumentException("pairs must be >= 0, got " + pairs);
        if (pairs > 0 && bundle.model().config().layers() < 1) {
            throw new IllegalArgumentException("the bundle's model has no interacting layer to explain with");
        }
        this.attentionPairs = pairs;
        if (pairs > 0) this.explanations = true;
        return this;
    }

    /**
     * Sets the context every user is scored in, as {@code bin/autoint recommend --context} takes it: values by
     * key, missing keys taking their defaults (for a table bundle, the user's latest training row; for MovieLens,
     * the month after the training data). Checked on the driver against the first user: an unreadable value
     * fails here; clipping and unknown-value warnings are logged.
     *
     * @param values context values by key; copied
     * @return this
     * @throws IllegalArgumentException if a value cannot be read
     */
    public SparkRecommender context(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        List<String> warnings = new ArrayList<>();
        bundle.encoder().contextRow(bundle.encoder().users().all().get(0).id(), copy, warnings);
        for (String w : warnings) System.getLogger(SparkRecommender.class.getName()).log(System.Logger.Level.WARNING, w);
        this.context = copy;
        return this;
    }

    /**
     * Sets how many partitions {@link #recommendAll()} spreads the users over.
     *
     * @param p at least 1; 0 (the default) means four per core of the session ({@code defaultParallelism}), so
     *          that executors that finish early take more
     * @return this
     * @throws IllegalArgumentException if {@code p < 0}
     */
    public SparkRecommender partitions(int p) {
        if (p < 0) throw new IllegalArgumentException("partitions must be >= 0, got " + p);
        this.partitions = p;
        return this;
    }

    /**
     * The lists of every user in the bundle's {@link UserDirectory}. The users are not sent from the driver: each
     * task takes a range of positions in the directory its executor loaded with the bundle.
     *
     * @return one row per (user, rank); computed when an action runs (e.g. {@code write().parquet(path)})
     */
    public Dataset<Row> recommendAll() {
        int users = bundle.encoder().users().size();
        int p = partitions > 0 ? partitions : 4 * spark.sparkContext().defaultParallelism();
        Dataset<Row> positions = spark.range(0, users, 1, Math.max(1, Math.min(p, users))).toDF();
        return positions.mapPartitions(new Lists(shipped, settings(), unknown, 0, true), Encoders.row(outputSchema()));
    }

    /**
     * The lists of the users whose keys are in the only column of {@code users}.
     *
     * @param users a DataFrame of one column of user keys
     * @return one row per (user, rank)
     * @throws IllegalArgumentException if {@code users} has more than one column
     */
    public Dataset<Row> recommend(Dataset<Row> users) {
        String[] cols = users.schema().fieldNames();
        if (cols.length != 1) {
            throw new IllegalArgumentException("recommend(users) needs a DataFrame of one column of user keys, got " + List.of(cols)
                    + ": name the key column with recommend(users, column)");
        }
        return recommend(users, cols[0]);
    }

    /**
     * The lists of the users whose keys are in column {@code keyColumn} of {@code users} (strings, or whole
     * numbers for numeric keys such as MovieLens user ids); other columns are ignored. A key given twice gets its
     * list twice.
     *
     * @param users     rows with a user key each
     * @param keyColumn the key column
     * @return one row per (user, rank)
     * @throws IllegalArgumentException if the column is missing
     */
    public Dataset<Row> recommend(Dataset<Row> users, String keyColumn) {
        int index = SparkScorer.indices(users.schema(), List.of(keyColumn))[0];
        return users.mapPartitions(new Lists(shipped, settings(), unknown, index, false), Encoders.row(outputSchema()));
    }

    /**
     * Users whose key the bundle does not know (or null), skipped by the actions run so far. An accumulator
     * updated in a transformation: a task that Spark runs again counts its users again.
     *
     * @return the count
     */
    public long unknownUsers() {
        return unknown.value();
    }

    /** Removes the broadcast bundle from the executors. */
    @Override
    public void close() {
        shipped.destroy();
    }

    /** The output columns with the current settings. */
    public StructType outputSchema() {
        StructType t = new StructType().add(USER, DataTypes.StringType, false).add(RANK, DataTypes.IntegerType, false)
                .add(ITEM, DataTypes.StringType, false).add(TITLE, DataTypes.StringType, true)
                .add(SCORE, DataTypes.DoubleType, false).add(ADJUSTED_SCORE, DataTypes.DoubleType, false);
        return explanations ? t.add(EXPLANATION, DataTypes.createArrayType(DataTypes.StringType, false), false) : t;
    }

    private Settings settings() {
        return new Settings(n, alpha, lambda, pool, explanations, attentionPairs, new LinkedHashMap<>(context));
    }

    /** What a task needs besides the bundle. */
    record Settings(int n, double alpha, double lambda, int pool, boolean explanations, int attentionPairs,
                    LinkedHashMap<String, String> context) implements Serializable {
    }

    /**
     * The bundle and its recommender as an executor keeps them: the recommender holds the per-user indices of the
     * training interactions, built once per JVM; tasks attach their scorer with {@link Recommender#with}.
     */
    record Loaded(ModelBundle bundle, Recommender base) {
        static Loaded of(ShippedDirectory files) {
            ModelBundle b = ExecutorCache.get("bundle:" + files.key(), () -> SparkScorer.Loaded.of(files)).bundle();
            return new Loaded(b, recommender(b));
        }
    }

    /**
     * The recommender {@code bin/autoint recommend} builds for a bundle (its catalogue index and training
     * interactions, the catalogue's explanation nouns), without a scorer yet.
     */
    static Recommender recommender(ModelBundle b) {
        Catalogue cat = b.encoder().catalogue();
        String itemNoun = b.encoder() instanceof MovieLensEncoder ? "movies" : "items";
        return Recommender.builder(cat, b.trainInteractions(), (u, items, out) -> {
            throw new IllegalStateException("the base recommender has no scorer");
        }).explanationNouns(cat.tagLabel(), itemNoun).build();
    }

    /** The recommender of {@code b} for one context: its scorer and, with attention pairs, the attention hook. */
    static Recommender forContext(ModelBundle b, Recommender base, Map<String, String> context, int attentionPairs) {
        FeatureEncoder enc = b.encoder();
        Catalogue cat = enc.catalogue();
        Map<String, String> ctx = Map.copyOf(context);
        Recommender.ExplanationHook hook = attentionPairs == 0 ? null
                : Recommender.ExplanationHook.attention(b.predictor(), (u, item) -> cat.candidates(enc.contextRow(u, ctx, new ArrayList<>()), 0,
                        new int[] {item}), attentionPairs);
        return base.with(b.scorer(ctx, null), hook);
    }

    /** One partition of users into their lists. */
    static final class Lists implements MapPartitionsFunction<Row, Row>, Serializable {
        private static final long serialVersionUID = 1L;
        private final Broadcast<ShippedDirectory> shipped;
        private final Settings settings;
        private final LongAccumulator unknown;
        private final int column;
        private final boolean positions;

        Lists(Broadcast<ShippedDirectory> shipped, Settings settings, LongAccumulator unknown, int column, boolean positions) {
            this.shipped = shipped;
            this.settings = settings;
            this.unknown = unknown;
            this.column = column;
            this.positions = positions;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> users) {
            ShippedDirectory files = shipped.value();
            Loaded loaded = ExecutorCache.get("recommender:" + files.key(), () -> Loaded.of(files));
            ModelBundle b = loaded.bundle();
            Recommender r = forContext(b, loaded.base(), settings.context(), settings.attentionPairs());
            Rerank rerank = new Rerank(settings.alpha(), settings.lambda(), settings.pool());
            UserDirectory directory = b.encoder().users();
            Catalogue cat = b.encoder().catalogue();
            return new Iterator<>() {
                private List<Row> pending = List.of();
                private int next;

                @Override
                public boolean hasNext() {
                    while (next == pending.size()) {
                        if (!users.hasNext()) return false;
                        UserDirectory.User u = user(users.next(), directory);
                        if (u == null) {
                            unknown.add(1);
                            continue;
                        }
                        pending = rows(u, r.recommend(u.id(), settings.n(), rerank), cat);
                        next = 0;
                    }
                    return true;
                }

                @Override
                public Row next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    return pending.get(next++);
                }
            };
        }

        private UserDirectory.User user(Row row, UserDirectory directory) {
            if (positions) return directory.all().get(Math.toIntExact(row.getLong(column)));
            String key = key(row.get(column));
            if (key == null) return null;
            int id = directory.idOf(key);
            return id < 0 ? null : directory.get(id);
        }

        private List<Row> rows(UserDirectory.User u, List<Recommendation> recs, Catalogue cat) {
            List<Row> out = new ArrayList<>(recs.size());
            for (Recommendation rec : recs) {
                Object[] v = new Object[settings.explanations() ? 7 : 6];
                v[0] = u.key();
                v[1] = rec.rank();
                v[2] = cat.item(rec.item()).key();
                v[3] = rec.title();
                v[4] = rec.score();
                v[5] = rec.adjustedScore();
                if (settings.explanations()) {
                    List<String> why = new ArrayList<>(rec.reasons());
                    why.addAll(rec.modelReasons());
                    v[6] = why.toArray(new String[0]);
                }
                out.add(RowFactory.create(v));
            }
            return out;
        }
    }

    /** A key cell as the user directory spells keys: strings as they are, whole numbers without a fraction. */
    static String key(Object cell) {
        if (cell == null) return null;
        if (cell instanceof String s) return s;
        if (cell instanceof Double || cell instanceof Float) {
            double d = ((Number) cell).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : cell.toString();
        }
        if (cell instanceof Number num) return Long.toString(num.longValue());
        return cell.toString();
    }
}
