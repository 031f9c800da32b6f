package dev.autoint.core.internal.kernel;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A minimal "user application": depends on autoint-core only, started without any flag. It scores fixed
 * rows with a fixed model and prints the kernel implementation and the probabilities, one per line.
 */
public final class ConsumerMain {

    private ConsumerMain() {
    }

    static float[] compute() {
        List<FieldSpec> fields = List.of(FieldSpec.categorical("user", 50), FieldSpec.categorical("item", 80),
                FieldSpec.multiCategorical("genres", 10), FieldSpec.numeric("age"));
        AutoIntModel model = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withEmbeddingInitStd(0.3f), fields);
        SplittableRandom rnd = new SplittableRandom(1);
        EncodedDataset.Builder b = EncodedDataset.builder(fields);
        for (int i = 0; i < 300; i++) {
            b.categorical(0, rnd.nextInt(50)).categorical(1, rnd.nextInt(80)).addMulti(2, rnd.nextInt(10))
                    .addMulti(2, rnd.nextInt(10)).numeric(3, (float) rnd.nextDouble()).endRow(0f);
        }
        return model.predictor().predict(b.build());
    }

    public static void main(String[] args) {
        float[] p = compute();
        System.out.println("kernels=" + Kernels.get().name());
        for (float v : p) System.out.println(v);
    }
}
