package dev.autoint.data.movielens;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A MovieLens-shaped dataset before encoding: the movie catalogue, the user profiles and the raw rating
 * rows. Made by {@link MovieLensReader} (real files) or {@link SyntheticMovieLens}; split it with
 * {@link #select(int[])} and encode it with {@link MovieLensEncoder}. Immutable.
 */
public final class MovieLensData {

    private final String name;
    private final Map<Integer, Movie> movies;
    private final Map<Integer, UserProfile> users;
    private final Ratings ratings;
    private final long skippedLines;

    /**
     * @param name         a short description of the source, e.g. the directory
     * @param movies       catalogue by movie id
     * @param users        profiles by user id
     * @param ratings      rating rows
     * @param skippedLines bad lines skipped while reading (0 unless skipping was asked for)
     */
    public MovieLensData(String name, Map<Integer, Movie> movies, Map<Integer, UserProfile> users, Ratings ratings,
                         long skippedLines) {
        this.name = Objects.requireNonNull(name, "name");
        this.movies = Collections.unmodifiableMap(new TreeMap<>(movies));
        this.users = Collections.unmodifiableMap(new TreeMap<>(users));
        this.ratings = Objects.requireNonNull(ratings, "ratings");
        this.skippedLines = skippedLines;
    }

    private MovieLensData(MovieLensData catalog, Ratings ratings) {
        this.name = catalog.name;
        this.movies = catalog.movies;
        this.users = catalog.users;
        this.ratings = ratings;
        this.skippedLines = catalog.skippedLines;
    }

    public String name() {
        return name;
    }

    /** Movies by id, in ascending id order. */
    public Map<Integer, Movie> movies() {
        return movies;
    }

    /** User profiles by id, in ascending id order. */
    public Map<Integer, UserProfile> users() {
        return users;
    }

    /** The movie with this id, or null. */
    public Movie movie(int id) {
        return movies.get(id);
    }

    /** The user with this id, or null. */
    public UserProfile user(int id) {
        return users.get(id);
    }

    /** Every catalogue movie id, ascending: the candidates for recommendation. */
    public int[] movieIds() {
        return movies.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    public Ratings ratings() {
        return ratings;
    }

    /** Bad lines skipped while reading. */
    public long skippedLines() {
        return skippedLines;
    }

    /** The same catalogue with only the given rating rows (for splits). */
    public MovieLensData select(int[] rows) {
        return new MovieLensData(this, ratings.select(rows));
    }

    /** The same catalogue with other rating rows. */
    public MovieLensData withRatings(Ratings other) {
        return new MovieLensData(this, Objects.requireNonNull(other, "ratings"));
    }

    @Override
    public String toString() {
        return "MovieLensData[" + name + ": " + ratings.size() + " ratings, " + users.size() + " users, "
                + movies.size() + " movies]";
    }
}
