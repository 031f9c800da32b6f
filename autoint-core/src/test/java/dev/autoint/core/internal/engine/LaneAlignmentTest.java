package dev.autoint.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Interaction;
import dev.autoint.core.model.Loss;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The workspace starts its lane-layout buffers on a cache line ({@link Workspace#realign}): the addresses are
 * read as they should be, and where a buffer starts changes no bit of any score, probability or gradient.
 */
class LaneAlignmentTest {

    /**
     * On the JDKs where it is on, the reader decodes real addresses: two small arrays allocated one after the
     * other lie 32 bytes (8 floats) apart, so their offsets to the next line differ by 8 modulo 16. A wrong
     * compressed-reference shift would give another difference.
     */
    @Test
    void readsWhereArraysStart() {
        boolean expectOn = Runtime.version().feature() < 24 && !"false".equals(System.getProperty("autoint.alignLanes"));
        assertThat(LaneAlignment.enabled()).as("address reading on JDK " + Runtime.version().feature()).isEqualTo(expectOn);
        if (!expectOn) {
            assertThat(LaneAlignment.offset(new float[100], new Object[1])).isZero();
            return;
        }
        int agree = 0;
        for (int i = 0; i < 16; i++) {
            float[][] pair = {new float[4], new float[4]}; // 16 bytes of header and 16 of data each
            Object[] holder = new Object[1];
            int a = LaneAlignment.offset(pair[0], holder), b = LaneAlignment.offset(pair[1], holder);
            assertThat(a).isBetween(0, 15);
            assertThat(a % 2).as("objects start on 8 bytes").isZero();
            if (Math.floorMod(a - b, 16) == 8) agree++;
        }
        assertThat(agree).as("pairs 32 bytes apart, of 16").isGreaterThanOrEqualTo(12);
    }

    /** -Dautoint.alignLanes=B points B bytes past the line: 4 floats further per 16 bytes, modulo a line. */
    @Test
    void aByteOffsetStartsThatFarPastTheLine() {
        if (!LaneAlignment.enabled()) return; // every offset is 0 (checked above)
        Object[] holder = new Object[1];
        float[] a = new float[64];
        int onLine = LaneAlignment.offset(a, holder, 0);
        for (int skew = 0; skew < 64; skew += 4) {
            assertThat(LaneAlignment.offset(a, holder, skew)).as("%d bytes past", skew).isEqualTo((onLine + skew / 4) % 16);
        }
        assertThat(holder[0]).as("the holder is left empty").isNull();
    }

    @Test
    void rejectsAnUnknownSetting() {
        for (String ok : new String[] {"auto", "true", "false", "0", "16", "60", " 48 "}) {
            assertThat(LaneAlignment.flag(ok)).isEqualTo(ok.trim());
        }
        for (String bad : new String[] {"yes", "", "2", "64", "-16", "100", "1e1"}) {
            assertThatThrownBy(() -> LaneAlignment.flag(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-Dautoint.alignLanes").hasMessageContaining("'" + bad.trim() + "'");
        }
    }

    static Stream<Arguments> configs() {
        AutoIntConfig small = SharedFieldsTest.small();
        return Stream.of(
                Arguments.of("AutoInt, residual", small),
                Arguments.of("AutoInt, no residual, one layer", small.withResidual(false).withLayers(1)),
                Arguments.of("AutoInt+, linear term, dropout", small.withLinearTerm(true).withDnnHidden(List.of(16, 8))
                        .withDropout(0.2f)),
                Arguments.of("seeds' AutoInt+ (the fused attention kernel: heads of 8)",
                        AutoIntConfig.seedsAutoIntPlus().withEmbeddingInitStd(0.3f)),
                Arguments.of("DNN only", small.withLayers(0).withLinearTerm(true).withDnnHidden(List.of(10))),
                Arguments.of("DeepFM (embeddings not realigned)", small.withLayers(0).withDnnHidden(List.of(10))
                        .withInteraction(Interaction.fm())),
                Arguments.of("DCN-v2 stacked", small.withLayers(0).withDnnHidden(List.of(10))
                        .withInteraction(Interaction.cross(2, true))),
                Arguments.of("xDeepFM", small.withLayers(0).withLinearTerm(true).withDnnHidden(List.of(10))
                        .withInteraction(Interaction.cin(List.of(6, 4), true))));
    }

    /**
     * Forward and backward of the same chunks with every buffer starting at element 0, 1, 8 and 15, where the
     * workspace aligned them, and at starts that differ from buffer to buffer and move at every forward (as
     * when the collector moves the arrays): logits, attention probabilities, gradients and scores (of one user's
     * candidates too, the shared-field path) are bit for bit the same.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void whereABufferStartsChangesNoBit(String name, AutoIntConfig config) {
        AutoIntModel model = AutoIntModel.create(config, SharedFieldsTest.FIELDS);
        Network net = Network.of(model);
        EncodedDataset rows = SharedFieldsTest.items(77, 3);
        Result expected = run(net, model, rows, 0, false);
        for (int start : new int[] {1, 8, 15, -1, 0, 5}) {
            boolean scramble = start == 0 || start == 5;
            Result got = run(net, model, rows, start, scramble);
            String what = name + ", buffers starting at " + (start < 0 ? "a cache line"
                    : scramble ? "starts moving from " + start : "element " + start);
            assertThat(got.logits).as(what + ": logits").isEqualTo(expected.logits);
            assertThat(got.gradient).as(what + ": gradient").isEqualTo(expected.gradient);
            assertThat(got.attention).as(what + ": attention").isDeepEqualTo(expected.attention);
            assertThat(got.inference).as(what + ": scores").isEqualTo(expected.inference);
            assertThat(got.candidates).as(what + ": one user's candidates").isEqualTo(expected.candidates);
        }
    }

    record Result(float[] logits, float[] gradient, float[][][][] attention, float[] inference, float[] candidates) {
    }

    /** Trains-style forward and backward over chunks of 32, then scores with an inference workspace of 16. */
    static Result run(Network net, AutoIntModel model, EncodedDataset rows, int start, boolean scramble) {
        Workspace ws = net.newWorkspace(32);
        ws.forcedBase = start;
        ws.scramble = scramble;
        Gradients grads = new Gradients(model.parameters());
        float[] logits = new float[rows.size()];
        float[][][][] attention = null;
        for (int from = 0; from < rows.size(); from += 32) {
            int n = Math.min(32, rows.size() - from);
            net.forward(ws, rows, null, from, n, true, 99L, from);
            for (int s = 0; s < n; s++) logits[from + s] = ws.logit(s);
            if (from == 0) attention = net.attentionOf(ws, 5);
            net.backward(ws, rows, null, from, Loss.bce(), 1f / rows.size(), grads);
        }
        Workspace inf = net.newInferenceWorkspace(16);
        inf.forcedBase = start;
        inf.scramble = scramble;
        float[] scores = new float[rows.size()];
        for (int from = 0; from < rows.size(); from += 16) {
            int n = Math.min(16, rows.size() - from);
            net.forward(inf, rows, null, from, n, false, 0L, 0);
            for (int s = 0; s < n; s++) scores[from + s] = inf.logit(s);
        }
        EncodedDataset candidates = EncodedDataset.candidates(SharedFieldsTest.contexts(1, 4), 0,
                SharedFieldsTest.items(300, 5), SharedFieldsTest.firstRows(70, 0), SharedFieldsTest.ITEM_FIELDS);
        Workspace one = net.newInferenceWorkspace(32);
        one.forcedBase = start;
        one.scramble = scramble;
        float[] candidateScores = SharedFieldsTest.scores(net, one, candidates, true);
        return new Result(logits, grads.data().clone(), attention, scores, candidateScores);
    }
}
