package dev.autoint.spark;

import dev.autoint.core.internal.engine.Network;
import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.internal.engine.Gradients;
import dev.autoint.core.model.Loss;
import dev.autoint.core.internal.engine.ParameterAccess;
import dev.autoint.core.internal.engine.Workspace;
import dev.autoint.core.internal.train.GradientStep;
import dev.autoint.core.internal.train.Updater;
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
    final Network network;
    final Workspace workspace;
    final Gradients gradients;
    final GradientStep step; // local SGD: L2, clipping and the update, as the single-node trainer does them
    long weightsStep = -1;
    private Updater local; // local SGD only: this thread's optimizer, its state reloaded every round
    private Gradients touched; // local SGD only: the regions any local step of a round touched

    private ShardWorker(AutoIntModel model) {
        this.model = model;
        this.network = Network.of(model);
        this.workspace = network.newWorkspace(Network.DEFAULT_CHUNK);
        this.gradients = new Gradients(model.parameters());
        this.step = new GradientStep(model.parameters(), new Gradients[] {gradients}, 1);
    }

    /**
     * This thread's worker of the run, made on first use. A new run makes the oldest runs beyond the latest four
     * forgotten; that happens under a lock and outside the map's {@code computeIfAbsent}, whose mapping function
     * must not change the map (doing so could lose the new run's entry and then throw "Recursive update").
     */
    static ShardWorker get(String runId, Broadcast<ShippedDirectory> modelFiles) {
        ThreadLocal<ShardWorker> tl = RUNS.get(runId);
        if (tl == null) {
            synchronized (RUNS) {
                tl = RUNS.get(runId);
                if (tl == null) {
                    tl = ThreadLocal.withInitial(() -> new ShardWorker(modelFiles.value().load(dir -> ModelFiles.load(dir).model())));
                    RUNS.put(runId, tl);
                    ORDER.add(runId);
                    while (ORDER.size() > 4) {
                        String old = ORDER.poll();
                        if (old != null) RUNS.remove(old);
                    }
                }
            }
        }
        return tl.get();
    }

    /** One step of one shard: which rows, how they sit in the global batch, and the loss. */
    record Plan(String runId, long step, int epoch, long seed, int[] from, int[] to, int[] base, float scale, long dropoutKey,
                Loss loss) implements Serializable {
    }

    /**
     * A round of local SGD: the weights and optimizer state every shard starts from, and for each local step
     * the shard's rows ({@code from[j][p] .. to[j][p]} of its order), dropout key and learning rate.
     */
    record Round(String runId, long firstStep, int epoch, long seed, int[][] from, int[][] to, long[] dropoutKeys, float[] rates,
                 float l2Embedding, float clipNorm, SparkTrainer.OptimizerFactory optimizer, Loss loss) implements Serializable {
    }

    /** The weights, optimizer state and step count a round starts from. */
    record RoundStart(float[] weights, Map<String, float[]> state, long steps) implements Serializable {
    }

    /**
     * Local SGD: {@code K} steps on this shard alone, each on its share of the step's global batch (its loss
     * averaged over its own rows), with its own copy of the optimizer started from the broadcast state. Returns
     * the changes of the weights and of every optimizer state buffer over the touched regions, packed as
     * {@link PartialGradient} values: per dense element {@code [Δw, Δs1, ..., Δsk]}, per touched sparse row the
     * same for each of its elements and then a 1 (summed over shards: how many shards touched the row).
     */
    static PartialGradient computeLocal(TrainingShards.Shard shard, Round round, Broadcast<RoundStart> start,
                                        Broadcast<ShippedDirectory> modelFiles) {
        ShardWorker w = get(round.runId(), modelFiles);
        try {
            return w.local(shard, round, start);
        } catch (RuntimeException | Error e) {
            forget(round.runId());
            throw e;
        }
    }

    /**
     * Drops this thread's worker of a run after a failed task: its buffers may hold part of the failed task's
     * gradients or local steps, which Spark's retry of the task on this thread must not inherit.
     */
    private static void forget(String runId) {
        ThreadLocal<ShardWorker> tl = RUNS.get(runId);
        if (tl != null) tl.remove();
    }

    private PartialGradient local(TrainingShards.Shard shard, Round round, Broadcast<RoundStart> start) {
        long t0 = System.nanoTime();
        RoundStart s = start.value();
        float[] params = ParameterAccess.data(model.parameters());
        System.arraycopy(s.weights(), 0, params, 0, params.length);
        weightsStep = -1;
        if (local == null) {
            local = Updater.of(round.optimizer().create());
            touched = new Gradients(model.parameters());
        }
        local.loadState(s.steps(), s.state());
        long t1 = System.nanoTime();
        int[] order = shard.order(round.seed(), round.epoch());
        int p = shard.index;
        Loss lossFunction = round.loss();
        double loss = 0;
        long samples = 0;
        Workspace ws = workspace;
        for (int j = 0; j < round.from().length; j++) {
            int from = round.from()[j][p], to = round.to()[j][p];
            if (to <= from) continue;
            for (int c = from; c < to; c += ws.capacity()) {
                int n = Math.min(ws.capacity(), to - c);
                network.forward(ws, shard.data, order, c, n, true, round.dropoutKeys()[j], c - from);
                loss += network.backward(ws, shard.data, order, c, lossFunction, 1f / (to - from), gradients);
            }
            step.reduceAll(round.l2Embedding(), round.clipNorm() > 0);
            touched.mergeTouched(gradients);
            step.updateAll(local, step.clipFactor(round.clipNorm()), round.rates()[j], null);
            samples += to - from;
        }
        PartialGradient g = PartialGradient.ofChanges(model.parameters(), touched, s.weights(), local.state(), s.state());
        touched.forgetTouched();
        long t2 = System.nanoTime();
        g.loss = loss;
        g.samples = samples;
        g.parts = 1;
        g.maxFetchNanos = t1 - t0;
        g.maxComputeNanos = t2 - t1;
        g.sumComputeNanos = t2 - t1;
        return g;
    }

    /**
     * Validation: the probabilities of every row of {@code shard} with the broadcast weights, and its labels,
     * scored by this thread's model copy of the run (the next training step copies its own weights in again).
     */
    static float[][] score(TrainingShards.Shard shard, String runId, Broadcast<float[]> weights, Broadcast<ShippedDirectory> modelFiles) {
        ShardWorker w = get(runId, modelFiles);
        try {
            float[] v = weights.value();
            System.arraycopy(v, 0, ParameterAccess.data(w.model.parameters()), 0, v.length);
            w.weightsStep = -1;
            return new float[][] {w.model.predictor().predict(shard.data), shard.data.labelColumn()};
        } catch (RuntimeException | Error e) {
            forget(runId);
            throw e;
        }
    }

    /** Forward and backward over this shard's share of the step's global batch, on the broadcast weights. */
    static PartialGradient compute(TrainingShards.Shard shard, Plan plan, Broadcast<float[]> weights, Broadcast<ShippedDirectory> modelFiles) {
        ShardWorker w = get(plan.runId(), modelFiles);
        try {
            return w.step(shard, plan, weights);
        } catch (RuntimeException | Error e) {
            forget(plan.runId());
            throw e;
        }
    }

    private PartialGradient step(TrainingShards.Shard shard, Plan plan, Broadcast<float[]> weights) {
        long t0 = System.nanoTime();
        if (weightsStep != plan.step()) {
            float[] v = weights.value();
            System.arraycopy(v, 0, ParameterAccess.data(model.parameters()), 0, v.length);
            weightsStep = plan.step();
        }
        long t1 = System.nanoTime();
        int[] order = shard.order(plan.seed(), plan.epoch());
        int p = shard.index;
        int from = plan.from()[p], to = plan.to()[p];
        Loss lossFunction = plan.loss();
        double loss = 0;
        Workspace ws = workspace;
        for (int c = from; c < to; c += ws.capacity()) {
            int n = Math.min(ws.capacity(), to - c);
            network.forward(ws, shard.data, order, c, n, true, plan.dropoutKey(), plan.base()[p] + (c - from));
            loss += network.backward(ws, shard.data, order, c, lossFunction, plan.scale(), gradients);
        }
        PartialGradient g = PartialGradient.of(model.parameters(), gradients);
        gradients.clear();
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
