package dev.autoint.core.internal.train;

import dev.autoint.core.internal.engine.Gradients;
import dev.autoint.core.internal.engine.ParameterAccess;
import dev.autoint.core.internal.kernel.Kernels;
import dev.autoint.core.model.Parameters;
import dev.autoint.core.model.TensorInfo;
import dev.autoint.core.model.TensorRole;
import java.util.Arrays;
import java.util.Objects;

/**
 * The part of a training step between backward and the next forward, the one implementation that the trainer,
 * Spark's driver and Spark's local-SGD shards share:
 * <ol>
 *   <li>{@link #plan}: the step's regions, i.e. every dense tensor and every embedding row some buffer touched,
 *       in layout order, split into contiguous parts of about equal size;</li>
 *   <li>{@link #reduce} (per part): sum the other buffers into buffer 0 in buffer order (zeroing them), add
 *       2λ·w to the gradient of every {@link TensorRole#EMBEDDING} row, and accumulate λ's penalty Σw² and,
 *       when asked, the squared norm Σg² in double;</li>
 *   <li>the caller checks the loss and takes the clipping factor ({@link #clipFactor});</li>
 *   <li>{@link #update} (per part): scale by the clipping factor, optionally copy the regions' weights into a
 *       last-good array, apply the {@link Updater}, check the new weights are finite, zero the gradient.</li>
 * </ol>
 * A step without clipping needs no norm between the two, and may run them as one pass ({@link #reduceAndUpdate}).
 * Everything is element-wise in a fixed order, so the weights do not depend on how the regions are split;
 * only the double sums of the penalty and the norm are added part by part, in part order. Parts may run on
 * different threads (the caller waits for all of them between {@link #reduce} and {@link #update}); with one
 * part this is the serial step. Cost follows the batch, not the vocabulary: only touched rows are visited.
 */
public final class GradientStep {

    private static final Kernels KERNELS = Kernels.get();

    private final float[] w;
    private final Gradients[] grads;
    private final float[][] others; // the data of buffers 1.., summed into buffer 0
    private final int parts;
    private int[] regionOff = new int[1024];
    private int[] regionLen = new int[1024];
    private TensorInfo[] regionTensor = new TensorInfo[1024];
    private int regionCount;
    private final int[] partStart;
    private final double[] partPenalty;
    private final double[] partSquares;
    private final String[] partBad;
    private final int[] partSaved; // per part: regions copied to the last-good array so far in this step

    /**
     * A step over {@code params} that sums {@code grads} (each of {@code params}' layout) into {@code grads[0]},
     * split into {@code parts} parts.
     */
    public GradientStep(Parameters params, Gradients[] grads, int parts) {
        if (grads.length == 0 || parts <= 0) throw new IllegalArgumentException("need at least one buffer and one part");
        this.w = ParameterAccess.data(params);
        this.grads = grads.clone();
        for (Gradients g : this.grads) {
            Objects.requireNonNull(g, "grads");
            if (g.data().length != w.length) throw new IllegalArgumentException("a gradient buffer of another layout");
        }
        this.others = new float[this.grads.length - 1][];
        for (int t = 1; t < this.grads.length; t++) others[t - 1] = this.grads[t].data();
        this.parts = parts;
        this.partStart = new int[parts + 1];
        this.partPenalty = new double[parts];
        this.partSquares = new double[parts];
        this.partBad = new String[parts];
        this.partSaved = new int[parts];
    }

    /** The number of parts. */
    public int parts() {
        return parts;
    }

    /**
     * Lists the step's regions: marks every row another buffer touched as touched in buffer 0, collects
     * buffer 0's regions and splits them into parts. Serial; call after every backward of the step.
     */
    public void plan() {
        Gradients g0 = grads[0];
        for (int t = 1; t < grads.length; t++) g0.mergeTouched(grads[t]);
        regionCount = 0;
        g0.forEachRegion((t, off, len) -> {
            if (regionCount == regionOff.length) {
                int n = regionCount * 2;
                regionOff = Arrays.copyOf(regionOff, n);
                regionLen = Arrays.copyOf(regionLen, n);
                regionTensor = Arrays.copyOf(regionTensor, n);
            }
            regionOff[regionCount] = off;
            regionLen[regionCount] = len;
            regionTensor[regionCount] = t;
            regionCount++;
        });
        long total = 0;
        for (int r = 0; r < regionCount; r++) total += regionLen[r];
        long done = 0;
        int r = 0;
        for (int p = 0; p < parts; p++) {
            partStart[p] = r;
            long target = total * (p + 1) / parts;
            while (r < regionCount && done < target) done += regionLen[r++];
        }
        partStart[parts] = regionCount;
    }

    /**
     * Part {@code part} of the reduction: sums buffers 1.. into buffer 0 (zeroing them), adds 2λ·w on the
     * embedding rows, and records this part's Σw² of those rows and, with {@code measureNorm}, its Σg².
     */
    public void reduce(int part, float lambda, boolean measureNorm) {
        float[] g = grads[0].data();
        double penalty = 0, squares = 0;
        for (int r = partStart[part]; r < partStart[part + 1]; r++) {
            penalty = sumRegion(r, g, lambda, penalty, null);
            if (measureNorm) {
                for (int i = regionOff[r], end = i + regionLen[r]; i < end; i++) squares += (double) g[i] * g[i];
            }
        }
        partPenalty[part] = penalty;
        partSquares[part] = squares;
    }

    /**
     * Region {@code r} of the reduction: sums buffers 1.. into {@code g} (buffer 0), zeroing them, on an
     * embedding row adds 2λ·w, and copies the weights into {@code save} (unless null), in one pass
     * ({@link Kernels#prepareUpdate}); returns {@code penalty} plus that region's Σw² (unchanged when it is not an
     * embedding region or λ is 0), the regions added in the order they are visited.
     */
    private double sumRegion(int r, float[] g, float lambda, double penalty, float[] save) {
        int off = regionOff[r], end = off + regionLen[r];
        boolean l2 = lambda != 0f && regionTensor[r].role() == TensorRole.EMBEDDING;
        KERNELS.prepareUpdate(off, end - off, g, others, w, l2 ? 2 * lambda : 0f, save);
        if (l2) {
            // Σw² on four chains (element i on chain i mod 4 of the region), added at the region's end: with one
            // chain of dependent double additions, the thread updating the embedding rows took 1.2-1.4× as long
            // per element as the other (2 threads, seed model, λ = 1e-5); with four, the two are even.
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = off;
            for (; i + 4 <= end; i += 4) {
                s0 += (double) w[i] * w[i];
                s1 += (double) w[i + 1] * w[i + 1];
                s2 += (double) w[i + 2] * w[i + 2];
                s3 += (double) w[i + 3] * w[i + 3];
            }
            for (; i < end; i++) s0 += (double) w[i] * w[i];
            penalty += (s0 + s1) + (s2 + s3);
        }
        return penalty;
    }

    /** After every part's {@link #reduce}: buffers 1.. are zero again and forget their rows. Serial. */
    public void finishReduce() {
        for (int t = 1; t < grads.length; t++) grads[t].forgetTouched();
    }

    /** Σ‖e‖² over the step's embedding rows (the penalty is λ times this), summed in part order. */
    public double penalty() {
        double s = 0;
        for (double v : partPenalty) s += v;
        return s;
    }

    /** The squared global norm of the reduced gradient (when {@link #reduce} measured it), summed in part order. */
    public double squaredNorm() {
        double s = 0;
        for (double v : partSquares) s += v;
        return s;
    }

    /** The factor that brings the gradient's norm down to {@code clipNorm}: 1 when it is below or clipping is off (0). */
    public float clipFactor(float clipNorm) {
        if (clipNorm <= 0) return 1f;
        double norm = Math.sqrt(squaredNorm());
        return norm > clipNorm ? (float) (clipNorm / norm) : 1f;
    }

    /** Starts the update: counts the updater's step. Serial; call once before the parts' {@link #update}. */
    public void beginUpdate(Updater updater) {
        updater.startStep(w.length);
        for (int p = 0; p < parts; p++) {
            partSaved[p] = partStart[p];
            partBad[p] = null;
        }
    }

    /**
     * Part {@code part} of the update: for each region, scale the gradient by {@code clip} (unless 1), copy
     * the weights into {@code lastGood} (unless null), apply {@code updater}, note the first tensor whose new
     * weights are not finite, and zero the gradient.
     */
    public void update(int part, Updater updater, float clip, float lr, float[] lastGood) {
        updateRegions(part, false, 0f, updater, clip, lr, lastGood);
    }

    /**
     * {@link #reduce} and {@link #update} of part {@code part} in one pass, region by region, for a step that
     * needs no global norm (no clipping: {@code clip} 1): the same operations in the same order on every
     * element, so the weights are bit-identical to the two passes, but each region is summed and updated while
     * it is in cache, and parallel parts meet once instead of twice. Call {@link #plan} and
     * {@link #beginUpdate} before it, {@link #finishReduce} and {@link #finishUpdate} after every part.
     */
    public void reduceAndUpdate(int part, float lambda, Updater updater, float lr, float[] lastGood) {
        partPenalty[part] = updateRegions(part, true, lambda, updater, 1f, lr, lastGood);
        partSquares[part] = 0;
    }

    /**
     * The update of part {@code part}'s regions, each first reduced ({@link #sumRegion}) when {@code reduce};
     * records the part's saved regions and first non-finite tensor, and returns its penalty (0 unless reduced).
     */
    private double updateRegions(int part, boolean reduce, float lambda, Updater updater, float clip, float lr,
                                 float[] lastGood) {
        float[] g = grads[0].data();
        double penalty = 0;
        String bad = null;
        int saved = partStart[part]; // regions saved so far; published once (a shared array written per region
        try {                        // would bounce its cache line between the cores)
            for (int r = partStart[part]; r < partStart[part + 1]; r++) {
                if (reduce) {
                    penalty = sumRegion(r, g, lambda, penalty, lastGood); // saves the weights in the same pass
                } else {
                    save(r, lastGood);
                }
                saved = r + 1;
                String b = apply(r, g, updater, clip, lr);
                if (bad == null) bad = b;
            }
        } finally {
            partSaved[part] = saved;
        }
        partBad[part] = bad;
        return penalty;
    }

    /** Copies region {@code r}'s weights into {@code lastGood} (unless null), before they change. */
    private void save(int r, float[] lastGood) {
        if (lastGood != null) System.arraycopy(w, regionOff[r], lastGood, regionOff[r], regionLen[r]);
    }

    /**
     * The update of region {@code r}: scales its gradient by {@code clip} (unless 1), applies {@code updater}
     * and zeroes the gradient; returns the region's tensor name when a new weight is not finite, else null.
     */
    private String apply(int r, float[] g, Updater updater, float clip, float lr) {
        int off = regionOff[r], len = regionLen[r], end = off + len;
        if (clip != 1f) {
            for (int i = off; i < end; i++) g[i] *= clip;
        }
        updater.update(w, g, off, len, lr);
        return KERNELS.finishUpdate(off, len, w, g) ? null : regionTensor[r].name();
    }

    /** After every part's {@link #update}: the first tensor (in layout order) with a non-finite weight, or null. */
    public String firstNonFiniteWeight() {
        for (String bad : partBad) {
            if (bad != null) return bad;
        }
        return null;
    }

    /** After every part's {@link #update}: buffer 0 (zeroed by the update) forgets its rows. Serial. */
    public void finishUpdate() {
        grads[0].forgetTouched();
    }

    /**
     * Copies back from {@code lastGood} the regions {@link #update} saved there before changing them: after a
     * complete update every region of the step, after a failed one each part's regions up to where it stopped.
     */
    public void restore(float[] lastGood) {
        for (int p = 0; p < parts; p++) {
            for (int r = partStart[p]; r < partSaved[p]; r++) System.arraycopy(lastGood, regionOff[r], w, regionOff[r], regionLen[r]);
        }
    }

    /**
     * {@link #plan}, every part's {@link #reduce} and {@link #finishReduce} on the calling thread; returns
     * {@link #penalty()}.
     */
    public double reduceAll(float lambda, boolean measureNorm) {
        plan();
        for (int p = 0; p < parts; p++) reduce(p, lambda, measureNorm);
        finishReduce();
        return penalty();
    }

    /**
     * {@link #beginUpdate}, every part's {@link #update} and {@link #finishUpdate} on the calling thread; returns
     * {@link #firstNonFiniteWeight()}.
     */
    public String updateAll(Updater updater, float clip, float lr, float[] lastGood) {
        beginUpdate(updater);
        for (int p = 0; p < parts; p++) update(p, updater, clip, lr, lastGood);
        finishUpdate();
        return firstNonFiniteWeight();
    }

    /** The first tensor (in layout order) with a non-finite gradient in the planned regions of buffer 0, or null. */
    public String firstNonFiniteGradient() {
        float[] g = grads[0].data();
        for (int r = 0; r < regionCount; r++) {
            for (int i = regionOff[r], end = i + regionLen[r]; i < end; i++) {
                if (!Float.isFinite(g[i])) return regionTensor[r].name();
            }
        }
        return null;
    }

    /** Zeroes every buffer and forgets its rows: after a failure, before the next step. */
    public void clear() {
        for (Gradients g : grads) g.clear();
    }
}
