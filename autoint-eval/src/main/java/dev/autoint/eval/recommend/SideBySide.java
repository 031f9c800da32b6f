package dev.autoint.eval.recommend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two recommenders' lists for the same user, aligned by rank (for eyeballing two models or two
 * re-ranking settings).
 *
 * @param user  the user
 * @param nameA name of the first recommender
 * @param nameB name of the second
 * @param a     the first list
 * @param b     the second list
 */
public record SideBySide(int user, String nameA, String nameB, List<Recommendation> a, List<Recommendation> b) {

    /**
     * One rank of both lists.
     *
     * @param rank 1-based rank
     * @param a    A's item at that rank, or null if A's list is shorter
     * @param b    B's item at that rank, or null
     */
    public record Row(int rank, Recommendation a, Recommendation b) {
        /** @return true iff both lists have the same item at this rank */
        public boolean same() {
            return a != null && b != null && a.item() == b.item();
        }
    }

    /**
     * Copies the lists.
     *
     * @param user  the user
     * @param nameA name of the first recommender
     * @param nameB name of the second
     * @param a     the first list, not null; copied
     * @param b     the second list, not null; copied
     * @throws NullPointerException if a list is null
     */
    public SideBySide {
        a = List.copyOf(a);
        b = List.copyOf(b);
    }

    /** @return the rows, as many as the longer list */
    public List<Row> rows() {
        int n = Math.max(a.size(), b.size());
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(new Row(i + 1, i < a.size() ? a.get(i) : null, i < b.size() ? b.get(i) : null));
        }
        return rows;
    }

    /** @return a two-column text table */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "user %d%n%-4s %-44s %-44s%n", user, "#", nameA, nameB));
        for (Row r : rows()) {
            sb.append(String.format(Locale.ROOT, "%-4d %-44s %-44s%n", r.rank(), cell(r.a()), cell(r.b())));
        }
        return sb.toString();
    }

    private static String cell(Recommendation r) {
        if (r == null) {
            return "";
        }
        String t = r.title().isEmpty() ? "item " + r.item() : r.title();
        String s = String.format(Locale.ROOT, "%s (%.3f)", t, r.score());
        return s.length() > 44 ? s.substring(0, 41) + "..." : s;
    }
}
