package dev.autoint.spark;

import dev.autoint.core.internal.engine.Gradients;
import dev.autoint.core.internal.engine.ParameterAccess;
import dev.autoint.core.model.Parameters;
import dev.autoint.core.model.TensorInfo;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A sum of gradients as it travels through {@code treeAggregate}: the dense tensors whole, and for each
 * sparse tensor (embedding tables, linear-term weights) only the rows some batch touched, with their ids.
 *
 * <p>Values are summed in double: a partition's float gradients convert exactly, and the sum of two
 * partitions' values is the same whichever comes first, so with two partitions the combined gradient does
 * not depend on the order in which Spark combines task results. With more partitions a double sum is still
 * exact, hence order-independent, unless the values of one weight differ by more than about 2^27 in
 * magnitude. On the wire a value travels as a float whenever that is exact (a single partition's
 * gradient always is), as a double otherwise.
 *
 * <p>Also carried, for the step's report: the loss sum, the rows, and per-partition timings (the largest
 * compute and broadcast-fetch times, and the total compute time).
 */
final class PartialGradient implements Serializable {

    private static final long serialVersionUID = 1L;

    transient double[] dense; // every dense tensor, in layout order; null: all zero
    transient int[][] rows; // per sparse tensor (in layout order): touched row ids, ascending
    transient double[][] values; // per sparse tensor: rows.length x rowSize values
    double loss;
    long samples;
    int parts;
    long maxComputeNanos;
    long sumComputeNanos;
    long maxFetchNanos;
    String[] channels; // local SGD: the optimizer state buffers packed after each weight, in order

    /** Nothing yet (the zero of the aggregation). */
    static PartialGradient empty() {
        return new PartialGradient();
    }

    /** The gradient held in {@code g} (dense tensors and the touched rows of the sparse ones). */
    static PartialGradient of(Parameters layout, Gradients g) {
        List<TensorInfo> ts = layout.tensors();
        float[] data = g.data();
        int denseSize = 0, sparseCount = 0;
        for (TensorInfo t : ts) {
            if (t.sparse()) sparseCount++;
            else denseSize += t.size();
        }
        PartialGradient p = new PartialGradient();
        p.dense = new double[denseSize];
        p.rows = new int[sparseCount][];
        p.values = new double[sparseCount][];
        int d = 0, s = 0;
        for (int ti = 0; ti < ts.size(); ti++) {
            TensorInfo t = ts.get(ti);
            if (!t.sparse()) {
                for (int i = t.offset(), e = t.offset() + t.size(); i < e; i++) p.dense[d++] = data[i];
            } else {
                int[] r = Arrays.copyOf(g.touchedRows(ti), g.touchedCount(ti));
                Arrays.sort(r);
                int rs = t.rowSize();
                double[] v = new double[r.length * rs];
                for (int k = 0; k < r.length; k++) {
                    int from = t.offset() + r[k] * rs;
                    for (int j = 0; j < rs; j++) v[k * rs + j] = data[from + j];
                }
                p.rows[s] = r;
                p.values[s] = v;
                s++;
            }
        }
        return p;
    }

    /**
     * Local SGD's result of one shard: over the dense tensors and the rows {@code touched} records, the change of
     * each weight ({@code now - start}) followed by the change of each optimizer state buffer (in the order of
     * {@code state}); each sparse row ends with a 1. A buffer missing from {@code startState} started at zero.
     */
    static PartialGradient ofChanges(Parameters layout, Gradients touched, float[] start, Map<String, float[]> state,
                                     Map<String, float[]> startState) {
        float[] now = ParameterAccess.data(layout);
        String[] names = state.keySet().toArray(new String[0]);
        float[][] cur = new float[names.length][], old = new float[names.length][];
        for (int k = 0; k < names.length; k++) {
            cur[k] = state.get(names[k]);
            old[k] = startState.get(names[k]);
        }
        int ch = 1 + names.length;
        List<TensorInfo> ts = layout.tensors();
        int denseSize = 0, sparseCount = 0;
        for (TensorInfo t : ts) {
            if (t.sparse()) sparseCount++;
            else denseSize += t.size();
        }
        PartialGradient p = new PartialGradient();
        p.channels = names;
        p.dense = new double[denseSize * ch];
        p.rows = new int[sparseCount][];
        p.values = new double[sparseCount][];
        int d = 0, s = 0;
        for (int ti = 0; ti < ts.size(); ti++) {
            TensorInfo t = ts.get(ti);
            if (!t.sparse()) {
                for (int i = t.offset(), e = t.offset() + t.size(); i < e; i++) d = change(p.dense, d, i, now, start, cur, old);
            } else {
                int[] r = Arrays.copyOf(touched.touchedRows(ti), touched.touchedCount(ti));
                Arrays.sort(r);
                int rs = t.rowSize();
                double[] v = new double[r.length * (rs * ch + 1)];
                int k = 0;
                for (int row : r) {
                    int from = t.offset() + row * rs;
                    for (int j = 0; j < rs; j++) k = change(v, k, from + j, now, start, cur, old);
                    v[k++] = 1;
                }
                p.rows[s] = r;
                p.values[s] = v;
                s++;
            }
        }
        return p;
    }

    private static int change(double[] out, int k, int i, float[] now, float[] start, float[][] cur, float[][] old) {
        out[k++] = (double) now[i] - start[i];
        for (int c = 0; c < cur.length; c++) out[k++] = (double) cur[c][i] - (old[c] == null ? 0f : old[c][i]);
        return k;
    }

    /** The sum of this and {@code o} (a new instance; neither is changed). */
    PartialGradient plus(PartialGradient o) {
        PartialGradient r = new PartialGradient();
        r.loss = loss + o.loss;
        r.samples = samples + o.samples;
        r.parts = parts + o.parts;
        r.maxComputeNanos = Math.max(maxComputeNanos, o.maxComputeNanos);
        r.sumComputeNanos = sumComputeNanos + o.sumComputeNanos;
        r.maxFetchNanos = Math.max(maxFetchNanos, o.maxFetchNanos);
        r.channels = channels != null ? channels : o.channels;
        if (dense == null || o.dense == null) {
            r.dense = dense == null ? o.dense : dense;
            r.rows = rows == null ? o.rows : rows;
            r.values = values == null ? o.values : values;
            return r;
        }
        r.dense = new double[dense.length];
        for (int i = 0; i < dense.length; i++) r.dense[i] = dense[i] + o.dense[i];
        r.rows = new int[rows.length][];
        r.values = new double[rows.length][];
        for (int s = 0; s < rows.length; s++) {
            int[] a = rows[s], b = o.rows[s];
            int rs = a.length == 0 ? (b.length == 0 ? 0 : o.values[s].length / b.length) : values[s].length / a.length;
            int[] out = new int[a.length + b.length];
            double[] v = new double[(a.length + b.length) * rs];
            int i = 0, j = 0, n = 0;
            while (i < a.length || j < b.length) {
                if (j == b.length || (i < a.length && a[i] < b[j])) {
                    System.arraycopy(values[s], i * rs, v, n * rs, rs);
                    out[n++] = a[i++];
                } else if (i == a.length || b[j] < a[i]) {
                    System.arraycopy(o.values[s], j * rs, v, n * rs, rs);
                    out[n++] = b[j++];
                } else {
                    for (int k = 0; k < rs; k++) v[n * rs + k] = values[s][i * rs + k] + o.values[s][j * rs + k];
                    out[n++] = a[i];
                    i++;
                    j++;
                }
            }
            r.rows[s] = Arrays.copyOf(out, n);
            r.values[s] = Arrays.copyOf(v, n * rs);
        }
        return r;
    }

    /** Writes the sum into {@code g} (cleared beforehand), rounding each value to float. */
    void into(Parameters layout, Gradients g) {
        if (dense == null) return;
        float[] data = g.data();
        List<TensorInfo> ts = layout.tensors();
        int d = 0, s = 0;
        for (int ti = 0; ti < ts.size(); ti++) {
            TensorInfo t = ts.get(ti);
            if (!t.sparse()) {
                for (int i = t.offset(), e = t.offset() + t.size(); i < e; i++) data[i] = (float) dense[d++];
            } else {
                int rs = t.rowSize();
                int[] r = rows[s];
                for (int k = 0; k < r.length; k++) {
                    g.touch(ti, r[k]);
                    int to = t.offset() + r[k] * rs;
                    for (int j = 0; j < rs; j++) data[to + j] = (float) values[s][k * rs + j];
                }
                s++;
            }
        }
    }

    /** Values carried (dense, plus touched rows times their width), and touched row ids. */
    long valueCount() {
        if (dense == null) return 0;
        long n = dense.length;
        for (double[] v : values) n += v.length;
        return n;
    }

    long rowIdCount() {
        if (rows == null) return 0;
        long n = 0;
        for (int[] r : rows) n += r.length;
        return n;
    }

    /** Bytes this gradient occupies on the wire (values as float when exact, row ids as int), headers aside. */
    long wireBytes() {
        if (dense == null) return 0;
        long b = (exactAsFloat(dense) ? 4L : 8L) * dense.length;
        for (int s = 0; s < rows.length; s++) b += 4L * rows[s].length + (exactAsFloat(values[s]) ? 4L : 8L) * values[s].length;
        return b;
    }

    private static boolean exactAsFloat(double[] a) {
        for (double v : a) if ((double) (float) v != v) return false;
        return true;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeBoolean(dense != null);
        if (dense == null) return;
        writeValues(out, dense);
        out.writeInt(rows.length);
        for (int s = 0; s < rows.length; s++) {
            out.writeObject(rows[s]);
            writeValues(out, values[s]);
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (!in.readBoolean()) return;
        dense = readValues(in);
        int n = in.readInt();
        rows = new int[n][];
        values = new double[n][];
        for (int s = 0; s < n; s++) {
            rows[s] = (int[]) in.readObject();
            values[s] = readValues(in);
        }
    }

    private static void writeValues(ObjectOutputStream out, double[] v) throws IOException {
        if (exactAsFloat(v)) {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
            out.writeObject(f);
        } else {
            out.writeObject(v);
        }
    }

    private static double[] readValues(ObjectInputStream in) throws IOException, ClassNotFoundException {
        Object o = in.readObject();
        if (o instanceof double[] d) return d;
        float[] f = (float[]) o;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
