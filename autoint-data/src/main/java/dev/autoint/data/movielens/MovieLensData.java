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
    private final LoadReport loadReport;

    /**
     * @param name       a short description of the source, e.g. the directory
     * @param movies     catalogue by movie id; copied
     * @param users      profiles by user id; copied
     * @param ratings    rating rows; a rating's user or movie may be absent from the profiles (its profile
     *                   features are then missing)
     * @param loadReport what reading the files found ({@link LoadReport#none()} for data not read from files)
     * @throws NullPointerException if an argument is null
     */
    public MovieLensData(String name, Map<Integer, Movie> movies, Map<Integer, UserProfile> users, Ratings ratings,
                         LoadReport loadReport) {
        this.name = Objects.requireNonNull(name, "name");
        this.movies = Collections.unmodifiableMap(new TreeMap<>(movies));
        this.users = Collections.unmodifiableMap(new TreeMap<>(users));
        this.ratings = Objects.requireNonNull(ratings, "ratings");
        this.loadReport = Objects.requireNonNull(loadReport, "loadReport");
    }

    private MovieLensData(MovieLensData catalog, Ratings ratings) {
        this.name = catalog.name;
        this.movies = catalog.movies;
        this.users = catalog.users;
        this.ratings = ratings;
        this.loadReport = catalog.loadReport;
    }

    /**
     * A short description of the source, e.g. the directory.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Movies by id, in ascending id order.
     *
     * @return an unmodifiable map
     */
    public Map<Integer, Movie> movies() {
        return movies;
    }

    /**
     * User profiles by id, in ascending id order.
     *
     * @return an unmodifiable map
     */
    public Map<Integer, UserProfile> users() {
        return users;
    }

    /**
     * The movie with this id, or null (also for a rated movie missing from the movie file; see {@link #loadReport()}).
     *
     * @param id raw MovieLens movie id
     * @return the movie, or null
     */
    public Movie movie(int id) {
        return movies.get(id);
    }

    /**
     * The user with this id, or null (also for a rating user missing from the user file; see {@link #loadReport()}).
     *
     * @param id raw MovieLens user id
     * @return the profile, or null
     */
    public UserProfile user(int id) {
        return users.get(id);
    }

    /**
     * Every catalogue movie id, ascending: the candidates for recommendation.
     *
     * @return a new array
     */
    public int[] movieIds() {
        return movies.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The rating rows.
     *
     * @return the ratings
     */
    public Ratings ratings() {
        return ratings;
    }

    /**
     * Bad lines skipped while reading (truncated last lines aside; see {@link #loadReport()}).
     *
     * @return the total over every file
     */
    public long skippedLines() {
        return loadReport.skippedLines();
    }

    /**
     * What reading the files found: charsets, byte order marks, skipped and truncated lines, rows the label
     * rule dropped, ratings of users or movies the profile files lack. It describes the files as read, so a
     * {@link #select} keeps it unchanged.
     *
     * @return the report
     */
    public LoadReport loadReport() {
        return loadReport;
    }

    /**
     * The same catalogue with only the given rating rows (for splits).
     *
     * @param rows rating row indices, in output order; may repeat
     * @return a new dataset sharing this one's movies, users and report
     * @throws IndexOutOfBoundsException if a row is out of range
     */
    public MovieLensData select(int[] rows) {
        return new MovieLensData(this, ratings.select(rows));
    }

    /**
     * The same catalogue with other rating rows.
     *
     * @param other the ratings
     * @return a new dataset sharing this one's movies, users and report
     * @throws NullPointerException if {@code other} is null
     */
    public MovieLensData withRatings(Ratings other) {
        return new MovieLensData(this, Objects.requireNonNull(other, "ratings"));
    }

    @Override
    public String toString() {
        return "MovieLensData[" + name + ": " + ratings.size() + " ratings, " + users.size() + " users, "
                + movies.size() + " movies]";
    }
}
