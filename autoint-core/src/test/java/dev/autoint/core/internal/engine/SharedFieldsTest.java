package dev.autoint.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.Interaction;
import dev.autoint.core.model.AutoIntModel;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scoring one user's candidates: fields that are the same in every row of a chunk are computed once
 * (embedding lookup, the first interacting layer's projections, the linear term), and the scores are bit for
 * bit those of the per-row path. The per-row path is a training workspace ({@link Network#newWorkspace}), which
 * never looks for shared fields; the candidate path is the inference workspace the {@code Predictor} uses.
 */
class SharedFieldsTest {

    /** Four user/context fields (one of each kind, plus a small categorical) then four item fields. */
    static final List<FieldSpec> FIELDS = List.of(
            FieldSpec.categorical("user", 60),
            FieldSpec.numeric("age"),
            FieldSpec.multiCategorical("tags", 12),
            FieldSpec.categorical("hour", 24),
            FieldSpec.categorical("item", 4000),
            FieldSpec.multiCategorical("genres", 18),
            FieldSpec.numeric("price"),
            FieldSpec.categorical("decade", 10));
    static final boolean[] ITEM_FIELDS = {false, false, false, false, true, true, true, true};
    static final int CONTEXT_FIELDS = 4;

    static AutoIntConfig small() {
        // Embeddings far from zero, so that every field moves the logit and a wrong lane would show.
        return AutoIntConfig.defaults().withEmbeddingSize(8).withHeads(2).withHeadSize(4).withLayers(2)
                .withEmbeddingInitStd(0.5f).withSeed(7);
    }

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("AutoInt, residual", small()),
                Arguments.of("AutoInt, no residual", small().withResidual(false).withScaledAttention(true)),
                Arguments.of("AutoInt+, linear term", small().withLinearTerm(true).withDnnHidden(List.of(16, 8))),
                Arguments.of("one layer, DNN with dropout", small().withLayers(1).withDnnHidden(List.of(12)).withDropout(0.3f)),
                Arguments.of("DNN and linear term only", small().withLayers(0).withLinearTerm(true).withDnnHidden(List.of(10))),
                Arguments.of("DeepFM", small().withLayers(0).withLinearTerm(true).withDnnHidden(List.of(10))
                        .withInteraction(Interaction.fm())),
                Arguments.of("DCN-v2 parallel", small().withLayers(0).withDnnHidden(List.of(10)).withInteraction(Interaction.cross(2, false))),
                Arguments.of("DCN-v2 stacked", small().withLayers(0).withDnnHidden(List.of(10)).withInteraction(Interaction.cross(2, true))),
                Arguments.of("xDeepFM", small().withLayers(0).withLinearTerm(true).withDnnHidden(List.of(10))
                        .withInteraction(Interaction.cin(List.of(6, 4), true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void candidatesScoreAsRowByRow(String name, AutoIntConfig config) {
        Network net = Network.of(AutoIntModel.create(config, FIELDS));
        EncodedDataset items = items(3706, 11);
        EncodedDataset context = contexts(3, 12);
        for (int size : new int[] {1, 15, 17, 129, 3706}) {
            for (int user = 0; user < context.size(); user++) {
                EncodedDataset rows = EncodedDataset.candidates(context, user, items, firstRows(size, user), ITEM_FIELDS);
                for (int capacity : size == 3706 ? new int[] {Network.DEFAULT_CHUNK} : new int[] {1, 7, 16, 33, 128}) {
                    String what = name + ", " + size + " rows of user " + user + ", chunks of " + capacity;
                    assertThat(scores(net, net.newInferenceWorkspace(capacity), rows, true))
                            .as(what).isEqualTo(scores(net, net.newWorkspace(capacity), rows, false));
                }
            }
        }
    }

    /** The seeds' AutoInt+ (14 fields, 3 layers, DNN 32-32, linear term) on one user's 3,706 candidates. */
    @Test
    void seedModelOnACatalogue() {
        List<FieldSpec> fields = new java.util.ArrayList<>();
        int[] vocab = {6040, 3706, 10, 81, 4, 12, 1, 18, 18, 16, 2, 7, 21, 3439};
        boolean[] item = {false, true, true, true, false, false, false, true, true, true, false, false, false, false};
        for (int f = 0; f < vocab.length; f++) fields.add(FieldSpec.categorical("f" + f, vocab[f] + 1));
        AutoIntModel model = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withEmbeddingInitStd(0.3f), fields);
        Network net = Network.of(model);
        SplittableRandom rnd = new SplittableRandom(5);
        EncodedDataset.Builder b = EncodedDataset.builder(fields);
        for (int r = 0; r < 3706; r++) {
            for (int f = 0; f < vocab.length; f++) b.categorical(f, f == 1 ? r + 1 : 1 + rnd.nextInt(vocab[f]));
            b.endRow(0f);
        }
        EncodedDataset catalogue = b.build();
        EncodedDataset rows = EncodedDataset.candidates(catalogue, 42, catalogue, firstRows(3706, 0), item);
        float[] expected = scores(net, net.newWorkspace(Network.DEFAULT_CHUNK), rows, false);
        assertThat(scores(net, net.newInferenceWorkspace(Network.DEFAULT_CHUNK), rows, true)).isEqualTo(expected);
        float[] viaPredictor = new float[rows.size()];
        model.predictor().logits(rows, viaPredictor);
        assertThat(viaPredictor).isEqualTo(expected);
    }

    /**
     * Rows equal but for one field of one row: that field is not shared (a different id; the same ids in another
     * order or one more; no id; another number, -0 against 0), every other field is, and the scores are still
     * those of the per-row path.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void oneDifferingFieldIsNotShared(String name, AutoIntConfig config) {
        Network net = Network.of(AutoIntModel.create(config, FIELDS));
        List<Edit> edits = List.of(
                new Edit(0, b -> b.categorical(0, 9)),
                new Edit(1, b -> b.numeric(1, 0.25f)),
                new Edit(1, b -> b.numeric(1, -0f)),
                new Edit(2, b -> b.addMulti(2, 5).addMulti(2, 3)), // the base row's ids, reversed
                new Edit(2, b -> b.addMulti(2, 3).addMulti(2, 5).addMulti(2, 5)),
                new Edit(2, b -> { }), // no id at all
                new Edit(4, b -> b.categorical(4, 1234)),
                new Edit(5, b -> b.addMulti(5, 7)),
                new Edit(6, b -> b.numeric(6, 1e-3f)),
                new Edit(7, b -> b.categorical(7, 0)));
        int capacity = 40;
        for (int n : new int[] {2, 17, 40}) {
            for (int at : new int[] {0, n / 2, n - 1}) {
                for (Edit e : edits) {
                    EncodedDataset rows = sameRowsBut(n, at, e);
                    String what = name + ": field " + e.field + " differs in row " + at + " of " + n;
                    Workspace ws = net.newInferenceWorkspace(capacity);
                    float[] got = scores(net, ws, rows, true);
                    for (int f = 0; f < FIELDS.size(); f++) {
                        assertThat(ws.shared[f]).as(what + ", field " + f + " shared").isEqualTo(f != e.field);
                    }
                    assertThat(got).as(what).isEqualTo(scores(net, net.newWorkspace(capacity), rows, false));
                }
            }
        }
    }

    /** Replaces field {@code field} of one row with what {@code write} puts there. */
    record Edit(int field, Consumer<EncodedDataset.Builder> write) {
    }

    /** n copies of one base row, except that row {@code at} has field {@code e.field} written by {@code e}. */
    static EncodedDataset sameRowsBut(int n, int at, Edit e) {
        EncodedDataset.Builder b = EncodedDataset.builder(FIELDS);
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < FIELDS.size(); f++) {
                if (r == at && f == e.field) {
                    e.write.accept(b);
                    continue;
                }
                switch (f) {
                    case 0 -> b.categorical(0, 8);
                    case 1 -> b.numeric(1, 0f);
                    case 2 -> b.addMulti(2, 3).addMulti(2, 5);
                    case 3 -> b.categorical(3, 20);
                    case 4 -> b.categorical(4, 77);
                    case 5 -> b.addMulti(5, 2).addMulti(5, 11);
                    case 6 -> b.numeric(6, 2.5f);
                    default -> b.categorical(7, 4);
                }
            }
            b.endRow(0f);
        }
        return b.build();
    }

    /**
     * Logits of every row, chunk by chunk through {@code ws}; with {@code expectShared}, checks that each chunk
     * found at least {@link #CONTEXT_FIELDS} fields shared (so the candidate path ran), else that it found none.
     */
    static float[] scores(Network net, Workspace ws, EncodedDataset data, boolean expectShared) {
        float[] out = new float[data.size()];
        for (int from = 0; from < data.size(); from += ws.capacity()) {
            int n = Math.min(ws.capacity(), data.size() - from);
            net.forward(ws, data, null, from, n, false, 0L, 0);
            assertThat(ws.sharedCount).as("shared fields of a chunk").isEqualTo(count(ws.shared));
            if (expectShared) assertThat(ws.sharedCount).isGreaterThanOrEqualTo(CONTEXT_FIELDS);
            else assertThat(ws.sharedCount).isZero();
            for (int s = 0; s < n; s++) out[from + s] = ws.logit(s);
        }
        return out;
    }

    static int count(boolean[] flags) {
        int c = 0;
        for (boolean b : flags) if (b) c++;
        return c;
    }

    /** Candidate item rows {@code (user·97 + i) mod items}: each user sees another part of the catalogue. */
    static int[] firstRows(int size, int user) {
        int[] rows = new int[size];
        for (int i = 0; i < size; i++) rows[i] = (user * 97 + i) % 3706;
        return rows;
    }

    /** Item rows: distinct item ids, random genres (0 to 3), price and decade; context fields random too. */
    static EncodedDataset items(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        EncodedDataset.Builder b = EncodedDataset.builder(FIELDS);
        for (int r = 0; r < n; r++) {
            writeContext(b, rnd);
            b.categorical(4, 1 + r);
            for (int g = rnd.nextInt(4); g > 0; g--) b.addMulti(5, 1 + rnd.nextInt(17));
            b.numeric(6, (float) rnd.nextDouble(0, 50));
            b.categorical(7, rnd.nextInt(10));
            b.endRow(0f);
        }
        return b.build();
    }

    /** Context rows: a user, an age, 1 to 3 tags and an hour; item fields random. */
    static EncodedDataset contexts(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        EncodedDataset.Builder b = EncodedDataset.builder(FIELDS);
        for (int r = 0; r < n; r++) {
            writeContext(b, rnd);
            b.categorical(4, 1 + rnd.nextInt(3999)).addMulti(5, 1).numeric(6, 1f).categorical(7, 1);
            b.endRow(0f);
        }
        return b.build();
    }

    private static void writeContext(EncodedDataset.Builder b, SplittableRandom rnd) {
        b.categorical(0, 1 + rnd.nextInt(59)).numeric(1, (float) rnd.nextDouble(-2, 2));
        for (int t = 1 + rnd.nextInt(3); t > 0; t--) b.addMulti(2, 1 + rnd.nextInt(11));
        b.categorical(3, rnd.nextInt(24));
    }
}
