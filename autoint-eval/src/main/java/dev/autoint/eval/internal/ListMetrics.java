package dev.autoint.eval.internal;

import java.util.List;

/**
 * Beyond-accuracy metrics of recommendation lists: catalog coverage, intra-list genre diversity
 * and novelty. Item ids not in the catalog are ignored.
 */
public final class ListMetrics {

    private static final double LN2 = Math.log(2.0);

    private ListMetrics() {
    }

    /**
     * Catalog coverage: {@code |∪_u L_u| / |catalog|}, the share of catalog items recommended to
     * at least one user.
     *
     * @param lists the recommendation lists (item ids)
     * @param index the catalog index
     * @return the coverage in [0, 1]
     */
    public static double catalogCoverage(List<int[]> lists, ItemIndex index) {
        if (index.size() == 0) {
            return 0.0;
        }
        boolean[] seen = new boolean[index.size()];
        int count = 0;
        for (int[] l : lists) {
            for (int id : l) {
                int i = index.indexOf(id);
                if (i >= 0 && !seen[i]) {
                    seen[i] = true;
                    count++;
                }
            }
        }
        return (double) count / index.size();
    }

    /**
     * Intra-list diversity: the mean pairwise Jaccard distance of the genre sets,
     * <pre>
     *   ILD(L) = (2 / (|L|(|L|−1))) Σ_{i &lt; j} (1 − |G_i ∩ G_j| / |G_i ∪ G_j|)
     * </pre>
     * 0 for lists with fewer than two items.
     *
     * @param itemIds the list
     * @param index   the catalog index
     * @return the diversity in [0, 1]
     */
    public static double intraListDiversity(int[] itemIds, ItemIndex index) {
        int[] idx = denseIndices(itemIds, index);
        return intraListDiversityDense(idx, idx.length, index);
    }

    /**
     * {@link #intraListDiversity} on dense catalog indices {@code dense[0 .. n)}.
     *
     * @param dense dense catalog indices of the list
     * @param n     the list length; only {@code dense[0 .. n)} is read
     * @param index the catalog index
     * @return the diversity in [0, 1]; 0 when {@code n < 2}
     */
    public static double intraListDiversityDense(int[] dense, int n, ItemIndex index) {
        if (n < 2) {
            return 0.0;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                s += 1.0 - index.jaccard(dense[i], dense[j]);
            }
        }
        return s / ((double) n * (n - 1) / 2.0);
    }

    /**
     * Novelty: the mean self-information of the recommended items,
     * <pre>
     *   novelty(L) = (1/|L|) Σ_{i∈L} −log2 p(i),   p(i) = max(c_i, 1) / U
     * </pre>
     * where {@code c_i} is the number of training users who interacted with item {@code i} and
     * {@code U} the number of training users (the floor of 1 keeps unseen items finite).
     * 0 for an empty list.
     *
     * @param itemIds          the list
     * @param index            the catalog index
     * @param usersPerItem     {@code c_i} by dense index: how many training users interacted with each item
     * @param trainingUsers    {@code U}
     * @return the novelty in bits
     */
    public static double novelty(int[] itemIds, ItemIndex index, int[] usersPerItem, int trainingUsers) {
        int[] idx = denseIndices(itemIds, index);
        return noveltyDense(idx, idx.length, usersPerItem, trainingUsers);
    }

    /**
     * {@link #novelty} on dense catalog indices {@code dense[0 .. n)}.
     *
     * @param dense         dense catalog indices of the list
     * @param n             the list length; only {@code dense[0 .. n)} is read
     * @param usersPerItem  {@code c_i} by dense index
     * @param trainingUsers {@code U}; values below 1 count as 1
     * @return the novelty in bits; 0 when {@code n == 0}
     */
    public static double noveltyDense(int[] dense, int n, int[] usersPerItem, int trainingUsers) {
        if (n == 0) {
            return 0.0;
        }
        double u = Math.max(1, trainingUsers);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double p = Math.max(1, usersPerItem[dense[i]]) / u;
            s += -Math.log(p) / LN2;
        }
        return s / n;
    }

    private static int[] denseIndices(int[] ids, ItemIndex index) {
        int[] d = new int[ids.length];
        int n = 0;
        for (int id : ids) {
            int i = index.indexOf(id);
            if (i >= 0) {
                d[n++] = i;
            }
        }
        return n == d.length ? d : java.util.Arrays.copyOf(d, n);
    }
}
