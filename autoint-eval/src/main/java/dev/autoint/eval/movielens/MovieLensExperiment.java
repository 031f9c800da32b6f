package dev.autoint.eval.movielens;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Predictor;
import dev.autoint.data.Catalogue;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.SplitSpec.Split;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.MovieLensData.Ratings;
import dev.autoint.data.movielens.MovieLensEncoder;
import dev.autoint.eval.CandidateScorer;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.bundle.ModelBundle;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;

/**
 * MovieLens data made ready for a model and its evaluation: a split, an encoder fitted on the training
 * part only (no leakage), the encoded parts, and the adapters autoint-eval needs (interactions, the item
 * catalogue, a candidate scorer around a model's {@link Predictor}).
 *
 * <pre>{@code
 * MovieLensExperiment x = MovieLensExperiment.prepare(data, FeaturePreset.SEEDS, SplitSpec.globalTemporal(0.8, 0.1));
 * AutoIntModel model = AutoIntModel.create(config, x.encoder().fieldSpecs());
 * Trainer.builder(model).build().fit(x.train(), x.valid());
 * }</pre>
 */
public final class MovieLensExperiment {

    private final MovieLensData all;
    private final FeaturePreset preset;
    private final SplitSpec splitSpec;
    private final MovieLensData trainData;
    private final MovieLensData validData;
    private final MovieLensData testData;
    private final MovieLensEncoder encoder;
    private final EncodedDataset train;
    private final EncodedDataset valid;
    private final EncodedDataset test;

    private MovieLensExperiment(MovieLensData all, FeaturePreset preset, SplitSpec spec) {
        this.all = all;
        this.preset = preset;
        this.splitSpec = spec;
        Ratings r = all.ratings();
        Split split = spec.apply(r.size(), r.userIds(), r.timestamps());
        this.trainData = all.select(split.train());
        this.validData = all.select(split.valid());
        this.testData = all.select(split.test());
        this.encoder = MovieLensEncoder.fit(preset, trainData);
        this.train = encoder.encode(trainData);
        this.valid = encoder.encode(validData);
        this.test = encoder.encode(testData);
    }

    /**
     * Splits, fits the encoder on the training part and encodes every part.
     *
     * @param data   the ratings with their movies and users
     * @param preset the feature preset
     * @param split  how to split the ratings (e.g. {@code SplitSpec.globalTemporal(0.8, 0.1)})
     * @return the prepared experiment
     * @throws NullPointerException if an argument is null
     */
    public static MovieLensExperiment prepare(MovieLensData data, FeaturePreset preset, SplitSpec split) {
        return new MovieLensExperiment(Objects.requireNonNull(data, "data"), preset, Objects.requireNonNull(split, "split"));
    }

    /**
     * All the data, before the split.
     *
     * @return the data given to {@link #prepare}
     */
    public MovieLensData data() {
        return all;
    }

    /**
     * The preset the encoder was fitted with.
     *
     * @return the preset
     */
    public FeaturePreset preset() {
        return preset;
    }

    /**
     * How the ratings were split.
     *
     * @return the spec given to {@link #prepare}
     */
    public SplitSpec split() {
        return splitSpec;
    }

    /**
     * The encoder, fitted on the training part only.
     *
     * @return the encoder; its {@code fieldSpecs()} are the model's fields
     */
    public MovieLensEncoder encoder() {
        return encoder;
    }

    /**
     * The training part, encoded; row {@code i} is rating {@code i} of {@link #trainData()}.
     *
     * @return the rows
     */
    public EncodedDataset train() {
        return train;
    }

    /**
     * The validation part, encoded; empty when the split has no validation rows.
     *
     * @return the rows
     */
    public EncodedDataset valid() {
        return valid;
    }

    /**
     * The test part, encoded; row {@code i} is rating {@code i} of {@link #testData()}.
     *
     * @return the rows
     */
    public EncodedDataset test() {
        return test;
    }

    /**
     * The training part's ratings, with all the data's movies and users.
     *
     * @return the data
     */
    public MovieLensData trainData() {
        return trainData;
    }

    /**
     * The test part's ratings, with all the data's movies and users.
     *
     * @return the data
     */
    public MovieLensData testData() {
        return testData;
    }

    /**
     * Training interactions (user, movie, label, time) for evaluation and exclusion of rated movies.
     *
     * @return the interactions, aligned with {@link #train()}, backed by the ratings' arrays
     */
    public Interactions trainInteractions() {
        return interactions(trainData.ratings());
    }

    /**
     * Test interactions (user, movie, label, time): what the protocols score against.
     *
     * @return the interactions, aligned with {@link #test()}, backed by the ratings' arrays
     */
    public Interactions testInteractions() {
        return interactions(testData.ratings());
    }

    static Interactions interactions(Ratings r) {
        return Interactions.of(r.userIds(), r.movieIds(), r.labels(), r.timestamps());
    }

    /**
     * A model's scores for the encoded test rows, each in its own context (its rating's time).
     *
     * @param model a model with the encoder's fields
     * @return one click probability in [0, 1] per row of {@link #test()}, in row order
     */
    public float[] scoreTest(AutoIntModel model) {
        return model.predictor().predict(test);
    }

    /**
     * A thread-safe scorer of (user, candidate movies) for ranking protocols: each user is scored in the
     * context of their earliest held-out rating (exactly what a saved bundle's
     * {@link ModelBundle#heldOutScorer()} does).
     *
     * @param model a model with the encoder's fields
     * @return the scorer; scoring a user without test ratings throws IllegalArgumentException
     */
    public CandidateScorer scorer(AutoIntModel model) {
        return ModelBundle.heldOutScorer(encoder.catalogue(), new ModelBundle.HeldOut(test, testInteractions()), model.predictor());
    }

    /**
     * A thread-safe scorer with a fixed context for every user (what the {@code recommend} command uses). A
     * month outside the training period is clipped into it, without a warning.
     *
     * @param model a model with the encoder's fields
     * @param year  the context year, 1..9999
     * @param month the context month, 1..12
     * @return the scorer; scoring an unknown user, or any user when {@code year} or {@code month} is out of
     *         range, throws IllegalArgumentException (the context is checked when scoring, not here)
     */
    public CandidateScorer scorer(AutoIntModel model, int year, int month) {
        Map<String, String> ctx = Map.of("year", Integer.toString(year), "month", Integer.toString(month));
        Catalogue cat = encoder.catalogue();
        Predictor p = model.predictor();
        return (user, items, out) -> {
            EncodedDataset row = encoder.contextRow(user, ctx, new ArrayList<>());
            p.predict(cat.candidates(row, 0, items), null, 0, items.length, out, 0, true);
        };
    }

    /**
     * A bundle of a model trained on this experiment: the encoder with its catalogue, the training
     * interactions (with star ratings), the test rows as held-out rows, and the data's fingerprint and split
     * as provenance. Add reports and {@link ModelBundle.Builder#write} it.
     *
     * @param model the model trained on {@link #train()}
     * @return the builder, not yet written
     * @throws IllegalArgumentException if the model's fields differ from the encoder's
     */
    public ModelBundle.Builder bundle(AutoIntModel model) {
        Map<String, Object> prov = new java.util.LinkedHashMap<>();
        prov.put("dataFingerprint", fingerprint());
        prov.put("split", split().describe());
        prov.put("preset", preset.name().toLowerCase(java.util.Locale.ROOT));
        prov.put("rows", Map.of("train", train.size(), "valid", valid.size(), "test", test.size()));
        return ModelBundle.builder(model, encoder)
                .trainInteractions(trainInteractions(), trainData.ratings().ratings())
                .heldOut(test, testInteractions())
                .provenance(prov);
    }

    /**
     * {year, month} (UTC) of the last training rating: the default context for recommending "now".
     *
     * @return a new array {@code {year, month}}, month 1..12; {@code {1970, 1}} when there are no training ratings
     */
    public int[] lastTrainingMonth() {
        return yearMonth(lastTimestamp(trainData.ratings()));
    }

    /** The latest rating time, or 0 (1970) when there are no ratings. */
    static long lastTimestamp(Ratings r) {
        long max = 0;
        for (long t : r.timestamps()) max = Math.max(max, t);
        return max;
    }

    /** {year, month} of a Unix timestamp, UTC. */
    static int[] yearMonth(long ts) {
        ZonedDateTime t = Instant.ofEpochSecond(ts).atZone(ZoneOffset.UTC);
        return new int[] {t.getYear(), t.getMonthValue()};
    }

    /**
     * A short, stable description of the data for metrics.json: name, sizes and a hash of the ratings
     * (user, movie, rating and time of every row, in order).
     *
     * @return {@code "<name>: <n> ratings, <users> users, <movies> movies, hash <hex>"}, the name being
     *         {@link MovieLensData#name()}
     */
    public String fingerprint() {
        Ratings r = all.ratings();
        long h = 1125899906842597L;
        for (int i = 0; i < r.size(); i++) {
            h = 31 * h + r.userIds()[i];
            h = 31 * h + r.movieIds()[i];
            h = 31 * h + Float.floatToIntBits(r.ratings()[i]);
            h = 31 * h + r.timestamps()[i];
        }
        return all.name() + ": " + r.size() + " ratings, " + r.distinctUsers() + " users, " + r.distinctMovies()
                + " movies, hash " + Long.toHexString(h);
    }
}
