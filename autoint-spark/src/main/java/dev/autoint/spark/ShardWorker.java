package dev.autoint.spark;

import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Gradients;
import dev.autoint.core.model.Loss;
import dev.autoint.core.model.Workspace;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.broadcast.Broadcast;

/**
 * What a training task needs on an executor, kept per thread for the whole run: a copy of the model (loaded
 * once from the broadcast model files), a {@link Workspace} and a {@link Gradients} buffer. Each step's
 * weights arrive in a broadcast and are copied into the model once per step.
 */
final class ShardWorker {

    /** Per run, one worker per executor thread; runs other than the latest few are forgotten. */
    private static final Map<String, ThreadLocal<ShardWorker>> RUNS = new ConcurrentHashMap<>();
    private static final java.util.Deque<String> ORDER = new java.util.concurrent.ConcurrentLinkedDeque<>();

    final AutoIntModel model;
    final Workspace workspace;
    final Gradients gradients;
    long weightsStep = -1;

    private ShardWorker(AutoIntModel model) {
        this.model = model;
        this.workspace = model.newWorkspace(AutoIntModel.DEFAULT_CHUNK);
        this.gradients = new Gradients(model.parameters());
    }

    static ShardWorker get(String runId, Broadcast<ShippedDirectory> modelFiles) {
        ThreadLocal<ShardWorker> tl = RUNS.computeIfAbsent(runId, id -> {
            ORDER.add(id);
            while (ORDER.size() > 4) {
                String old = ORDER.poll();
                if (old != null) RUNS.remove(old);
            }
            return ThreadLocal.withInitial(() -> new ShardWorker(modelFiles.value().load(dir -> ModelFiles.load(dir).model())));
        });
        return tl.get();
    }

    /** One step of one shard: which rows, and how they sit in the global batch. */
    record Plan(String runId, long step, int epoch, long seed, int[] from, int[] to, int[] base, float scale, long dropoutKey)
            implements Serializable {
    }

    /** Forward and backward over this shard's share of the step's global batch, on the broadcast weights. */
    static PartialGradient compute(TrainingShards.Shard shard, Plan plan, Broadcast<float[]> weights, Broadcast<ShippedDirectory> modelFiles) {
        ShardWorker w = get(plan.runId(), modelFiles);
        long t0 = System.nanoTime();
        if (w.weightsStep != plan.step()) {
            float[] v = weights.value();
            System.arraycopy(v, 0, w.model.parameters().data(), 0, v.length);
            w.weightsStep = plan.step();
        }
        long t1 = System.nanoTime();
        int[] order = shard.order(plan.seed(), plan.epoch());
        int p = shard.index;
        int from = plan.from()[p], to = plan.to()[p];
        double loss = 0;
        Workspace ws = w.workspace;
        for (int c = from; c < to; c += ws.capacity()) {
            int n = Math.min(ws.capacity(), to - c);
            w.model.forward(ws, shard.data, order, c, n, true, plan.dropoutKey(), plan.base()[p] + (c - from));
            loss += w.model.backward(ws, shard.data, order, c, Loss.bce(), plan.scale(), w.gradients);
        }
        PartialGradient g = PartialGradient.of(w.model.parameters(), w.gradients);
        w.gradients.clear();
        long t2 = System.nanoTime();
        g.loss = loss;
        g.samples = to - from;
        g.parts = 1;
        g.maxFetchNanos = t1 - t0;
        g.maxComputeNanos = t2 - t1;
        g.sumComputeNanos = t2 - t1;
        return g;
    }
}
