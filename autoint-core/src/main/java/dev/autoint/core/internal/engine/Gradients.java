package dev.autoint.core.internal.engine;

import dev.autoint.core.model.TensorInfo;
import dev.autoint.core.model.Parameters;
import java.util.Arrays;
import java.util.List;

/**
 * A gradient buffer with the layout of {@link Parameters}, plus, for every sparse (embedding-like)
 * tensor, the list of rows a batch touched. Only those rows are non-zero, summed across threads, updated
 * and cleared, so the cost of a step follows the batch, not the vocabulary.
 */
public final class Gradients {

    private final List<TensorInfo> tensors;
    private final float[] g;
    /** For sparse tensor t: touched row ids in first-touch order, their count, and a membership flag. */
    private final int[][] touched;
    private final int[] touchedCount;
    private final boolean[][] isTouched;

    /** A zero buffer with {@code params}' layout, no row touched. */
    public Gradients(Parameters params) {
        this.tensors = params.tensors();
        this.g = new float[params.size()];
        int nt = tensors.size();
        touched = new int[nt][];
        touchedCount = new int[nt];
        isTouched = new boolean[nt][];
        for (int t = 0; t < nt; t++) {
            if (tensors.get(t).sparse()) {
                touched[t] = new int[Math.min(tensors.get(t).rows(), 1024)];
                isTouched[t] = new boolean[tensors.get(t).rows()];
            }
        }
    }

    /** The flat gradient array (same layout as the parameters). */
    public float[] data() {
        return g;
    }

    /** The layout's tensors, in order (indices for {@link #touch}). */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** Records that row {@code row} of sparse tensor {@code t} (index into {@link #tensors()}) has a gradient. */
    public void touch(int t, int row) {
        boolean[] flags = isTouched[t];
        if (!flags[row]) {
            flags[row] = true;
            if (touchedCount[t] == touched[t].length) {
                touched[t] = Arrays.copyOf(touched[t], Math.min(flags.length, touched[t].length * 2));
            }
            touched[t][touchedCount[t]++] = row;
        }
    }

    /** Rows of sparse tensor t with a gradient; valid up to {@link #touchedCount(int)}. */
    public int[] touchedRows(int t) {
        return touched[t];
    }

    /** How many rows of sparse tensor t are touched. */
    public int touchedCount(int t) {
        return touchedCount[t];
    }

    /** Zeroes dense tensors entirely and sparse tensors on their touched rows, and forgets those rows. */
    public void clear() {
        for (int t = 0; t < tensors.size(); t++) {
            TensorInfo ti = tensors.get(t);
            if (!ti.sparse()) {
                Arrays.fill(g, ti.offset(), ti.offset() + ti.size(), 0f);
            } else {
                int rs = ti.rowSize();
                for (int i = 0; i < touchedCount[t]; i++) {
                    int r = touched[t][i];
                    Arrays.fill(g, ti.offset() + r * rs, ti.offset() + (r + 1) * rs, 0f);
                    isTouched[t][r] = false;
                }
                touchedCount[t] = 0;
            }
        }
    }

    /**
     * Marks every row the other buffer touched as touched here too, without adding values: the caller sums
     * the values itself ({@code GradientStep}, region by region, possibly in parallel).
     */
    public void mergeTouched(Gradients other) {
        for (int t = 0; t < tensors.size(); t++) {
            if (!tensors.get(t).sparse()) continue;
            for (int i = 0; i < other.touchedCount[t]; i++) touch(t, other.touched[t][i]);
        }
    }

    /**
     * Forgets the touched rows without zeroing them: for a caller that has already zeroed every region
     * {@link #forEachRegion} visits (the values must be zero, or they would leak into a later step).
     */
    public void forgetTouched() {
        for (int t = 0; t < tensors.size(); t++) {
            if (!tensors.get(t).sparse()) continue;
            for (int i = 0; i < touchedCount[t]; i++) isTouched[t][touched[t][i]] = false;
            touchedCount[t] = 0;
        }
    }

    /** One contiguous region of the flat parameter layout. */
    @FunctionalInterface
    public interface RegionVisitor {
        /** Visits {@code length} elements from {@code offset} of the flat layout, all in {@code tensor}. */
        void visit(TensorInfo tensor, int offset, int length);
    }

    /**
     * Visits every region that may hold a gradient, in layout order: each dense tensor whole, and each
     * touched row of each sparse tensor: in ascending order, consecutive touched rows as one region, when at least
     * one row in {@value #ASCENDING_DENSITY} is touched; else row by row in the order they were first touched.
     * The step after backward ({@code GradientStep}) walks exactly these regions, so a step's cost follows the
     * batch rather than the vocabulary.
     */
    public void forEachRegion(RegionVisitor v) {
        for (int t = 0; t < tensors.size(); t++) {
            TensorInfo ti = tensors.get(t);
            if (!ti.sparse()) {
                v.visit(ti, ti.offset(), ti.size());
            } else if ((long) touchedCount[t] * ASCENDING_DENSITY >= ti.rows()) {
                // Enough rows touched that a scan of the flags is cheap: visit them in ascending order, a run of
                // consecutive touched rows as one region, so the reduction and the optimizer walk the tables
                // (weights, gradients, moments) in address order with fewer, longer regions.
                int rs = ti.rowSize();
                boolean[] flags = isTouched[t];
                for (int r = 0; r < flags.length; r++) {
                    if (!flags[r]) continue;
                    int first = r;
                    while (r + 1 < flags.length && flags[r + 1]) r++;
                    v.visit(ti, ti.offset() + first * rs, (r + 1 - first) * rs);
                }
            } else {
                int rs = ti.rowSize();
                for (int i = 0; i < touchedCount[t]; i++) v.visit(ti, ti.offset() + touched[t][i] * rs, rs);
            }
        }
    }

    /** {@link #forEachRegion} scans a sparse tensor's flags when at least one row in this many is touched. */
    static final int ASCENDING_DENSITY = 16;
}
