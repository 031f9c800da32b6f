package dev.autoint.data.movielens;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
