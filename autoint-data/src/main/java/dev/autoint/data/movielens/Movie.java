package dev.autoint.data.movielens;

import java.util.List;
import java.util.Objects;

/**
 * One movie's metadata, kept for recommendation lists and explanations.
 *
 * @param id     raw MovieLens movie id
 * @param title  title as in the file, e.g. "Grumpier Old Men (1995)"
 * @param year   release year from the title (or the 100K release date), 0 when unknown
 * @param genres genre names in file order, possibly empty
 */
public record Movie(int id, String title, int year, List<String> genres) {

    /**
     * Copies the genres.
     *
     * @param id     raw MovieLens movie id
     * @param title  title as in the file, not null
     * @param year   release year, 0 when unknown
     * @param genres genre names in file order, not null
     * @throws NullPointerException if {@code title} or {@code genres} is null
     */
    public Movie {
        Objects.requireNonNull(title, "title");
        genres = List.copyOf(genres);
    }

    /**
     * The year in "(1995)" at the end of a title (the last such group), or 0 when there is none.
     *
     * @param title a movie title
     * @return the year (1800 or later), or 0
     */
    public static int yearFromTitle(String title) {
        for (int close = title.lastIndexOf(')'); close >= 5; close = title.lastIndexOf(')', close - 1)) {
            if (title.charAt(close - 5) == '(') {
                int y = 0;
                boolean ok = true;
                for (int i = close - 4; i < close; i++) {
                    char c = title.charAt(i);
                    if (c < '0' || c > '9') {
                        ok = false;
                        break;
                    }
                    y = y * 10 + (c - '0');
                }
                if (ok && y >= 1800) return y;
            }
        }
        return 0;
    }
}
