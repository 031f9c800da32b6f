package dev.autoint.data.movielens;

import dev.autoint.data.DataFormatException;
import dev.autoint.data.LabelRule;
import dev.autoint.data.movielens.MovieLensData.LoadReport;
import dev.autoint.data.movielens.MovieLensData.Movie;
import dev.autoint.data.movielens.MovieLensData.Ratings;
import dev.autoint.data.movielens.MovieLensData.UserProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a MovieLens directory into {@link MovieLensData}.
 *
 * <ul>
 *   <li>MovieLens 1M layout: {@code users.dat}, {@code movies.dat}, {@code ratings.dat}, fields separated
 *       by {@code ::}, ISO-8859-1 text (works on the full 1M and on the {@code ml-1m-half} subset);</li>
 *   <li>MovieLens 100K layout: {@code u.data} (tab-separated user, item, rating, timestamp), {@code u.user}
 *       and {@code u.item} ({@code |}-separated, ISO-8859-1, 19 genre flags), {@code u.genre} (optional).</li>
 * </ul>
 * The label rule decides each row's label; rows it drops are not kept at all (so every array of
 * {@link Ratings} lines up with the encoded rows) and are counted. Files are parsed from bytes without
 * regular expressions. Bad input throws {@link DataFormatException} naming file, line, column and text,
 * unless {@code skipBadLines} is set, in which case bad lines are skipped and counted in
 * {@link MovieLensData#skippedLines()} (a missing or empty file still throws).
 *
 * <p>Damage found in real copies is handled and reported in {@link MovieLensData#loadReport()}, never
 * silently: a UTF-8 byte order mark at the start of any file is skipped; text is decoded as UTF-8 when a
 * file holds valid multi-byte UTF-8 (some redistributions re-encode {@code movies.dat}), else as
 * ISO-8859-1; an unterminated, unreadable last line (a truncated copy) is skipped and counted even when
 * bad lines are not skipped; ratings of users or movies missing from the user or movie file are
 * <em>kept</em>, with their profile features missing, and counted.
 */
public final class MovieLensReader {

    /** MovieLens-1M occupation names by code (from the dataset's README). */
    static final List<String> OCCUPATIONS_1M = List.of("other or not specified", "academic/educator", "artist",
            "clerical/admin", "college/grad student", "customer service", "doctor/health care",
            "executive/managerial", "farmer", "homemaker", "K-12 student", "lawyer", "programmer", "retired",
            "sales/marketing", "scientist", "self-employed", "technician/engineer", "tradesman/craftsman",
            "unemployed", "writer");

    /** MovieLens-100K genre names by flag position, used when {@code u.genre} is absent. */
    static final List<String> GENRES_100K = List.of("unknown", "Action", "Adventure", "Animation", "Children's",
            "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
            "Romance", "Sci-Fi", "Thriller", "War", "Western");

    private MovieLensReader() {
    }

    /**
     * Reads a 1M or 100K directory (detected by its files), failing on the first bad line.
     *
     * @param dir  the unpacked dataset directory
     * @param rule how ratings become labels; rows it drops are counted in the load report
     * @return the data
     * @throws DataFormatException if the directory is not a MovieLens directory, or a file is missing, empty or
     *                             holds a bad line
     * @throws IOException         if a file cannot be read
     */
    public static MovieLensData read(Path dir, LabelRule rule) throws IOException {
        return read(dir, rule, false);
    }

    /**
     * Reads a 1M or 100K directory, detected by {@code ratings.dat} or {@code u.data}.
     *
     * @param dir          the unpacked dataset directory
     * @param rule         how ratings become labels; rows it drops are counted in the load report
     * @param skipBadLines skip and count bad lines instead of failing on the first
     * @return the data
     * @throws DataFormatException if the directory is not a MovieLens directory, a file is missing or empty, or
     *                             (without {@code skipBadLines}) a line is bad
     * @throws IOException         if a file cannot be read
     */
    public static MovieLensData read(Path dir, LabelRule rule, boolean skipBadLines) throws IOException {
        if (Files.isRegularFile(dir.resolve("ratings.dat"))) return read1m(dir, rule, skipBadLines);
        if (Files.isRegularFile(dir.resolve("u.data"))) return read100k(dir, rule, skipBadLines);
        throw new DataFormatException(dir.toString(), 0, 0, null,
                "not a MovieLens directory: neither ratings.dat (1M) nor u.data (100K) found");
    }

    /**
     * Reads the MovieLens-1M layout: {@code users.dat}, {@code movies.dat}, {@code ratings.dat}, separated by {@code ::}.
     *
     * @param dir          the unpacked dataset directory
     * @param rule         how ratings become labels; rows it drops are counted in the load report
     * @param skipBadLines skip and count bad lines instead of failing on the first
     * @return the data
     * @throws DataFormatException if a file is missing or empty, or (without {@code skipBadLines}) a line is bad
     * @throws IOException         if a file cannot be read
     */
    public static MovieLensData read1m(Path dir, LabelRule rule, boolean skipBadLines) throws IOException {
        ByteLines users = lines(dir.resolve("users.dat"), "::");
        Map<Integer, UserProfile> userMap = readUsers1m(users, skipBadLines);
        ByteLines movies = lines(dir.resolve("movies.dat"), "::");
        Map<Integer, Movie> movieMap = readMovies1m(movies, skipBadLines);
        ByteLines ratings = lines(dir.resolve("ratings.dat"), "::");
        long[] dropped = new long[1];
        Ratings r = parseRatings(ratings, rule, skipBadLines, dropped);
        return data(dir, userMap, movieMap, r, users, movies, ratings, null, dropped[0]);
    }

    /**
     * Reads the MovieLens-100K layout: {@code u.user}, {@code u.item}, {@code u.data}, and {@code u.genre} when present.
     *
     * @param dir          the unpacked dataset directory
     * @param rule         how ratings become labels; rows it drops are counted in the load report
     * @param skipBadLines skip and count bad lines instead of failing on the first
     * @return the data
     * @throws DataFormatException if a file is missing or empty, or (without {@code skipBadLines}) a line is bad
     * @throws IOException         if a file cannot be read
     */
    public static MovieLensData read100k(Path dir, LabelRule rule, boolean skipBadLines) throws IOException {
        List<String> genreNames = GENRES_100K;
        ByteLines genres = null;
        Path genreFile = dir.resolve("u.genre");
        if (Files.isRegularFile(genreFile)) {
            genres = lines(genreFile, "|");
            genreNames = readGenres100k(genres);
        }
        ByteLines users = lines(dir.resolve("u.user"), "|");
        Map<Integer, UserProfile> userMap = readUsers100k(users, skipBadLines);
        ByteLines movies = lines(dir.resolve("u.item"), "|");
        Map<Integer, Movie> movieMap = readItems100k(movies, genreNames, skipBadLines);
        ByteLines ratings = lines(dir.resolve("u.data"), "\t");
        long[] dropped = new long[1];
        Ratings r = parseRatings(ratings, rule, skipBadLines, dropped);
        return data(dir, userMap, movieMap, r, users, movies, ratings, genres, dropped[0]);
    }

    /** The data with its {@link LoadReport}: the files' reports and the ratings of unknown users and movies. */
    private static MovieLensData data(Path dir, Map<Integer, UserProfile> userMap, Map<Integer, Movie> movieMap, Ratings r,
                                      ByteLines users, ByteLines movies, ByteLines ratings, ByteLines genres, long dropped) {
        long unknownUserRatings = 0, unknownMovieRatings = 0;
        Set<Integer> unknownUsers = new HashSet<>(), unknownMovies = new HashSet<>();
        int[] u = r.userIds(), m = r.movieIds();
        for (int i = 0; i < r.size(); i++) {
            if (!userMap.containsKey(u[i])) {
                unknownUserRatings++;
                unknownUsers.add(u[i]);
            }
            if (!movieMap.containsKey(m[i])) {
                unknownMovieRatings++;
                unknownMovies.add(m[i]);
            }
        }
        LoadReport report = new LoadReport(users.report(), movies.report(), ratings.report(),
                genres == null ? null : genres.report(), dropped, unknownUserRatings, unknownMovieRatings,
                unknownUsers.size(), unknownMovies.size());
        return new MovieLensData(dir.toString(), movieMap, userMap, r, report);
    }

    /** The lines of a file (read whole), its byte order mark skipped and its charset detected. */
    static ByteLines lines(Path file, String delimiter) throws IOException {
        try {
            return new ByteLines(Files.readAllBytes(file), file.toString(), delimiter);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file.toString(), 0, 0, null, "file not found", e);
        }
    }

    /**
     * Parses rating lines {@code user<d>movie<d>rating<d>timestamp}. Ratings must lie in [0.5, 5].
     *
     * @param dropped element 0 is increased by the number of ratings the label rule drops
     */
    static Ratings parseRatings(ByteLines lines, LabelRule rule, boolean skip, long[] dropped) throws DataFormatException {
        int cap = Math.max(16, lines.size() / 20);
        int[] u = new int[cap], m = new int[cap];
        float[] r = new float[cap], l = new float[cap];
        long[] t = new long[cap];
        int n = 0;
        boolean any = false;
        String delimName = lines.delimiterName();
        while (lines.next()) {
            any = true;
            int user, movie;
            float rating;
            long ts;
            try {
                lines.expectFields(4, delimName);
                user = lines.positiveInt(0, "user id");
                movie = lines.positiveInt(1, "movie id");
                rating = lines.decimal(2, "rating");
                if (!(rating >= 0.5f && rating <= 5f)) throw lines.error(2, "rating outside [0.5, 5]");
                ts = lines.nonNegativeLong(3, "timestamp");
            } catch (DataFormatException e) {
                lines.skipBad(e, skip);
                continue;
            }
            float label = rule.apply(rating);
            if (Float.isNaN(label)) {
                dropped[0]++;
                continue;
            }
            if (n == u.length) {
                int c = n * 2;
                u = Arrays.copyOf(u, c);
                m = Arrays.copyOf(m, c);
                r = Arrays.copyOf(r, c);
                l = Arrays.copyOf(l, c);
                t = Arrays.copyOf(t, c);
            }
            u[n] = user;
            m[n] = movie;
            r[n] = rating;
            t[n] = ts;
            l[n] = label;
            n++;
        }
        if (!any) throw lines.emptyFile();
        return Ratings.of(Arrays.copyOf(u, n), Arrays.copyOf(m, n), Arrays.copyOf(r, n), Arrays.copyOf(t, n),
                Arrays.copyOf(l, n));
    }

    static Map<Integer, UserProfile> readUsers1m(ByteLines lines, boolean skip) throws DataFormatException {
        Map<Integer, UserProfile> users = new HashMap<>();
        boolean any = false;
        while (lines.next()) {
            any = true;
            try {
                lines.expectFields(5, "'::'");
                int id = lines.positiveInt(0, "user id");
                String gender = gender(lines, 1);
                int age = lines.nonNegativeInt(2, "age");
                int occ = lines.nonNegativeInt(3, "occupation");
                if (occ >= OCCUPATIONS_1M.size()) throw lines.error(3, "occupation code outside 0..20");
                putUnique(users, id, new UserProfile(id, gender, age, UserProfile.ageGroupOf(age), OCCUPATIONS_1M.get(occ),
                        lines.string(4)), lines);
            } catch (DataFormatException e) {
                lines.skipBad(e, skip);
            }
        }
        if (!any) throw lines.emptyFile();
        return users;
    }

    static Map<Integer, Movie> readMovies1m(ByteLines lines, boolean skip) throws DataFormatException {
        Map<Integer, Movie> movies = new HashMap<>();
        boolean any = false;
        while (lines.next()) {
            any = true;
            try {
                lines.expectFields(3, "'::'");
                int id = lines.positiveInt(0, "movie id");
                String title = lines.string(1);
                if (title.isBlank()) throw lines.error(1, "title is empty");
                List<String> genres = new ArrayList<>(3);
                String g = lines.string(2);
                int from = 0;
                while (from <= g.length()) {
                    int bar = g.indexOf('|', from);
                    if (bar < 0) bar = g.length();
                    String one = g.substring(from, bar).trim();
                    if (!one.isEmpty()) genres.add(one.intern());
                    from = bar + 1;
                }
                putUnique(movies, id, new Movie(id, title, Movie.yearFromTitle(title), genres), lines);
            } catch (DataFormatException e) {
                lines.skipBad(e, skip);
            }
        }
        if (!any) throw lines.emptyFile();
        return movies;
    }

    static List<String> readGenres100k(ByteLines lines) throws DataFormatException {
        List<String> names = new ArrayList<>();
        while (lines.next()) {
            lines.expectFields(2, "'|'");
            int idx = lines.nonNegativeInt(1, "genre index");
            if (idx != names.size()) throw lines.error(1, "genre indices must be 0, 1, 2, ... in order");
            names.add(lines.string(0));
        }
        if (names.isEmpty()) throw lines.emptyFile();
        return List.copyOf(names);
    }

    static Map<Integer, UserProfile> readUsers100k(ByteLines lines, boolean skip) throws DataFormatException {
        Map<Integer, UserProfile> users = new HashMap<>();
        boolean any = false;
        while (lines.next()) {
            any = true;
            try {
                lines.expectFields(5, "'|'");
                int id = lines.positiveInt(0, "user id");
                int age = lines.nonNegativeInt(1, "age");
                String gender = gender(lines, 2);
                if (lines.isEmpty(3)) throw lines.error(3, "occupation is empty");
                putUnique(users, id, new UserProfile(id, gender, age, UserProfile.ageGroupOf(age), lines.string(3).intern(),
                        lines.string(4)), lines);
            } catch (DataFormatException e) {
                lines.skipBad(e, skip);
            }
        }
        if (!any) throw lines.emptyFile();
        return users;
    }

    static Map<Integer, Movie> readItems100k(ByteLines lines, List<String> genreNames, boolean skip) throws DataFormatException {
        Map<Integer, Movie> movies = new HashMap<>();
        int nf = 5 + genreNames.size();
        boolean any = false;
        while (lines.next()) {
            any = true;
            try {
                lines.expectFields(nf, "'|'");
                int id = lines.positiveInt(0, "item id");
                String title = lines.string(1);
                int year = Movie.yearFromTitle(title);
                if (year == 0) year = yearFromDate(lines.string(2));
                List<String> genres = new ArrayList<>(3);
                for (int g = 0; g < genreNames.size(); g++) {
                    int flag = lines.nonNegativeInt(5 + g, "genre flag");
                    if (flag > 1) throw lines.error(5 + g, "genre flag must be 0 or 1");
                    if (flag == 1) genres.add(genreNames.get(g));
                }
                putUnique(movies, id, new Movie(id, title, year, genres), lines);
            } catch (DataFormatException e) {
                lines.skipBad(e, skip);
            }
        }
        if (!any) throw lines.emptyFile();
        return movies;
    }

    /** The year of a date like "01-Jan-1995", or 0. */
    static int yearFromDate(String date) {
        int dash = date.lastIndexOf('-');
        if (dash < 0 || date.length() - dash != 5) return 0;
        int y = 0;
        for (int i = dash + 1; i < date.length(); i++) {
            char c = date.charAt(i);
            if (c < '0' || c > '9') return 0;
            y = y * 10 + (c - '0');
        }
        return y;
    }

    private static String gender(ByteLines lines, int f) throws DataFormatException {
        String g = lines.string(f);
        if (g.equals("M")) return "M";
        if (g.equals("F")) return "F";
        throw lines.error(f, "gender must be M or F");
    }

    private static <T> void putUnique(Map<Integer, T> map, int id, T value, ByteLines lines) throws DataFormatException {
        if (map.putIfAbsent(id, value) != null) throw lines.error(0, "duplicate id " + id);
    }
}
