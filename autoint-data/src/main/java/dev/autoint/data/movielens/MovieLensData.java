package dev.autoint.data.movielens;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
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

    /**
     * One user's demographics, kept for recommendation and explanation.
     *
     * @param id         raw MovieLens user id
     * @param gender     "M" or "F"
     * @param age        age as in the file: the MovieLens-1M age-group code (1, 18, 25, 35, 45, 50, 56) or the
     *                   100K age in years
     * @param ageGroup   the MovieLens-1M age-group code (for 100K derived from the age), used as the feature
     * @param occupation occupation name (MovieLens-1M codes are mapped to their names, e.g. 10 to "K-12 student")
     * @param zip        zip code as in the file
     */
    public record UserProfile(int id, String gender, int age, int ageGroup, String occupation, String zip) {

        /**
         * @param id         raw MovieLens user id
         * @param gender     "M" or "F", not null
         * @param age        age as in the file
         * @param ageGroup   the MovieLens-1M age-group code
         * @param occupation occupation name, not null
         * @param zip        zip code, not null
         * @throws NullPointerException if {@code gender}, {@code occupation} or {@code zip} is null
         */
        public UserProfile {
            Objects.requireNonNull(gender, "gender");
            Objects.requireNonNull(occupation, "occupation");
            Objects.requireNonNull(zip, "zip");
        }

        /**
         * The MovieLens-1M age-group code for an age in years: 1 (under 18), 18, 25, 35, 45, 50, 56 (56+).
         *
         * @param years an age in years
         * @return the group's code
         */
        public static int ageGroupOf(int years) {
            if (years < 18) return 1;
            if (years < 25) return 18;
            if (years < 35) return 25;
            if (years < 45) return 35;
            if (years < 50) return 45;
            if (years < 56) return 50;
            return 56;
        }
    }

    /**
     * What {@link MovieLensReader} found while reading a directory, beyond the data: per file the charset it
     * decoded, a byte order mark it skipped, bad and truncated lines it skipped; the rows the label rule
     * dropped; and the ratings whose user or movie the profile files lack. Nothing is dropped without being
     * counted here: such ratings are kept (their profile features are missing) and only counted.
     * {@link #warnings()} words every count that is not zero for a user.
     *
     * @param users                   the user file ({@code users.dat} or {@code u.user}); null for data not read from files
     * @param movies                  the movie file ({@code movies.dat} or {@code u.item}); null likewise
     * @param ratings                 the rating file ({@code ratings.dat} or {@code u.data}); null likewise
     * @param genres                  {@code u.genre} when read (100K layout), else null
     * @param droppedByLabel          ratings the label rule dropped (for example a 3 under {@link dev.autoint.data.LabelRule#paper()})
     * @param ratingsWithUnknownUser  kept ratings whose user is not in the user file
     * @param ratingsWithUnknownMovie kept ratings whose movie is not in the movie file
     * @param unknownUsers            distinct user ids of those ratings
     * @param unknownMovies           distinct movie ids of those ratings
     */
    public record LoadReport(FileReport users, FileReport movies, FileReport ratings, FileReport genres, long droppedByLabel,
                             long ratingsWithUnknownUser, long ratingsWithUnknownMovie, int unknownUsers, int unknownMovies) {

        /**
         * One file as read.
         *
         * @param file               the path as given in error messages
         * @param charset            the charset text was decoded in: "US-ASCII", "UTF-8" or "ISO-8859-1"
         * @param bomStripped        whether a UTF-8 byte order mark at its start was skipped
         * @param skippedLines       bad lines skipped (only when skipping bad lines was asked for)
         * @param truncatedLines     an unterminated, unreadable last line skipped as cut short (0 or 1)
         * @param endsWithoutNewline whether its last line has no line end (kept when it was readable)
         */
        public record FileReport(String file, String charset, boolean bomStripped, long skippedLines, long truncatedLines,
                                 boolean endsWithoutNewline) {

            /**
             * The file's name without its directory.
             *
             * @return the name, such as {@code "movies.dat"}
             */
            public String name() {
                return Path.of(file).getFileName().toString();
            }
        }

        /**
         * The report of data that was not read from files (synthetic data): no files, nothing counted.
         *
         * @return the empty report
         */
        public static LoadReport none() {
            return new LoadReport(null, null, null, null, 0, 0, 0, 0, 0);
        }

        /**
         * The files read, in reading order (genres, users, movies, ratings; those that were read).
         *
         * @return a new list, empty for {@link #none()}
         */
        public List<FileReport> files() {
            List<FileReport> out = new ArrayList<>(4);
            for (FileReport f : new FileReport[] {genres, users, movies, ratings}) if (f != null) out.add(f);
            return out;
        }

        /**
         * Bad lines skipped over every file.
         *
         * @return the total
         */
        public long skippedLines() {
            return files().stream().mapToLong(FileReport::skippedLines).sum();
        }

        /**
         * Truncated last lines skipped over every file.
         *
         * @return the total
         */
        public long truncatedLines() {
            return files().stream().mapToLong(FileReport::truncatedLines).sum();
        }

        /**
         * Whether any file began with a byte order mark.
         *
         * @return true when a byte order mark was skipped
         */
        public boolean bomStripped() {
            return files().stream().anyMatch(FileReport::bomStripped);
        }

        /**
         * The charset a file (by name, such as "movies.dat") was decoded in, or null when no such file was read.
         *
         * @param fileName the file's name without its directory
         * @return "US-ASCII", "UTF-8" or "ISO-8859-1", or null
         */
        public String charset(String fileName) {
            for (FileReport f : files()) if (f.name().equals(fileName)) return f.charset();
            return null;
        }

        /**
         * One sentence per notable finding, for a user; empty when the files were read as expected.
         *
         * @return a new list
         */
        public List<String> warnings() {
            List<String> w = new ArrayList<>();
            for (FileReport f : files()) {
                if (f.bomStripped()) w.add(f.file() + ": skipped a UTF-8 byte order mark at the start");
                if (f.charset().equals("UTF-8")) {
                    w.add(f.file() + ": decoded as UTF-8, since it holds valid multi-byte UTF-8 (the GroupLens original is ISO-8859-1)");
                }
                if (f.truncatedLines() > 0) {
                    w.add(f.file() + ": the last line has no line end and cannot be read, as if the copy was cut short; skipped it");
                } else if (f.endsWithoutNewline()) {
                    w.add(f.file() + ": the last line has no line end (the file may be truncated); it was complete and kept");
                }
                if (f.skippedLines() > 0) w.add(f.file() + ": skipped " + f.skippedLines() + " bad line" + (f.skippedLines() == 1 ? "" : "s"));
            }
            if (droppedByLabel > 0) w.add("the label rule dropped " + droppedByLabel + " rating" + (droppedByLabel == 1 ? "" : "s"));
            if (ratingsWithUnknownUser > 0) {
                w.add(ratingsWithUnknownUser + " rating" + (ratingsWithUnknownUser == 1 ? "" : "s") + " of " + unknownUsers
                        + " user" + (unknownUsers == 1 ? "" : "s") + " missing from " + (users == null ? "the user file" : users.name())
                        + " kept without a user profile (their user features are missing)");
            }
            if (ratingsWithUnknownMovie > 0) {
                w.add(ratingsWithUnknownMovie + " rating" + (ratingsWithUnknownMovie == 1 ? "" : "s") + " of " + unknownMovies
                        + " movie" + (unknownMovies == 1 ? "" : "s") + " missing from " + (movies == null ? "the movie file" : movies.name())
                        + " kept without movie details (their movie features are missing; they are not recommendation candidates)");
            }
            return w;
        }
    }

    /**
     * Raw rating rows in columnar form: user id, movie id, rating, Unix timestamp (seconds) and binary label,
     * one entry per row. Row {@code i} here is row {@code i} of the dataset an encoder makes from it, so these
     * arrays serve evaluation (grouping by user) and explanation. The accessors return the backing arrays;
     * callers must not modify them.
     */
    public static final class Ratings {

        private final int[] userIds;
        private final int[] movieIds;
        private final float[] ratings;
        private final long[] timestamps;
        private final float[] labels;

        private Ratings(int[] userIds, int[] movieIds, float[] ratings, long[] timestamps, float[] labels) {
            this.userIds = userIds;
            this.movieIds = movieIds;
            this.ratings = ratings;
            this.timestamps = timestamps;
            this.labels = labels;
        }

        /**
         * Wraps the arrays (no copy); all must have the same length and labels must lie in [0, 1].
         *
         * @param userIds    raw user id per row
         * @param movieIds   raw movie id per row
         * @param ratings    the rating as given (1-5 stars for MovieLens) per row
         * @param timestamps Unix time in seconds per row
         * @param labels     label in [0, 1] per row
         * @return the rows, backed by the arrays
         * @throws NullPointerException     if {@code userIds} is null
         * @throws IllegalArgumentException if the lengths differ or a label is outside [0, 1]
         */
        public static Ratings of(int[] userIds, int[] movieIds, float[] ratings, long[] timestamps, float[] labels) {
            int n = Objects.requireNonNull(userIds, "userIds").length;
            if (movieIds.length != n || ratings.length != n || timestamps.length != n || labels.length != n) {
                throw new IllegalArgumentException("rating columns differ in length: users " + n + ", movies " + movieIds.length
                        + ", ratings " + ratings.length + ", timestamps " + timestamps.length + ", labels " + labels.length);
            }
            for (int i = 0; i < n; i++) {
                if (!(labels[i] >= 0f && labels[i] <= 1f)) {
                    throw new IllegalArgumentException("label " + labels[i] + " at row " + i + " is outside [0, 1]");
                }
            }
            return new Ratings(userIds, movieIds, ratings, timestamps, labels);
        }

        /**
         * The number of rows.
         *
         * @return the count
         */
        public int size() {
            return userIds.length;
        }

        /**
         * Raw user id per row; the backing array.
         *
         * @return the array, {@link #size()} long
         */
        public int[] userIds() {
            return userIds;
        }

        /**
         * Raw movie id per row; the backing array.
         *
         * @return the array, {@link #size()} long
         */
        public int[] movieIds() {
            return movieIds;
        }

        /**
         * The rating per row, as given; the backing array.
         *
         * @return the array, {@link #size()} long
         */
        public float[] ratings() {
            return ratings;
        }

        /**
         * Unix time in seconds per row; the backing array.
         *
         * @return the array, {@link #size()} long
         */
        public long[] timestamps() {
            return timestamps;
        }

        /**
         * Label in [0, 1] per row; the backing array.
         *
         * @return the array, {@link #size()} long
         */
        public float[] labels() {
            return labels;
        }

        /**
         * The given rows, in the given order.
         *
         * @param rows row indices; may repeat
         * @return new rows with copied values
         * @throws IndexOutOfBoundsException if a row is out of range
         */
        public Ratings select(int[] rows) {
            int n = rows.length;
            int[] u = new int[n], m = new int[n];
            float[] r = new float[n], l = new float[n];
            long[] t = new long[n];
            for (int i = 0; i < n; i++) {
                int row = Objects.checkIndex(rows[i], userIds.length);
                u[i] = userIds[row];
                m[i] = movieIds[row];
                r[i] = ratings[row];
                t[i] = timestamps[row];
                l[i] = labels[row];
            }
            return new Ratings(u, m, r, t, l);
        }

        /**
         * Number of distinct user ids.
         *
         * @return the count
         */
        public int distinctUsers() {
            return distinct(userIds);
        }

        /**
         * Number of distinct movie ids.
         *
         * @return the count
         */
        public int distinctMovies() {
            return distinct(movieIds);
        }

        private static int distinct(int[] a) {
            int[] c = a.clone();
            Arrays.sort(c);
            int d = 0;
            for (int i = 0; i < c.length; i++) {
                if (i == 0 || c[i] != c[i - 1]) d++;
            }
            return d;
        }
    }
}
