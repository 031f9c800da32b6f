package dev.autoint.data.movielens;

import dev.autoint.data.DataFormatException;
import dev.autoint.data.LabelRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.data.movielens.MovieLensData.LoadReport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The MovieLens readers on small hand-written directories (never real MovieLens files). */
class MovieLensReaderTest {

    @TempDir
    Path dir;

    private void write1m(String ratings) throws IOException {
        Files.writeString(dir.resolve("users.dat"), "1::F::1::10::48067\n2::M::56::16::70072\n", StandardCharsets.ISO_8859_1);
        Files.writeString(dir.resolve("movies.dat"), "1::Toy Story (1995)::Animation|Children's|Comedy\n"
                + "2::Caf\u00e9 au Lait (1993)::Comedy\n3::No Year::Drama\n", StandardCharsets.ISO_8859_1);
        Files.writeString(dir.resolve("ratings.dat"), ratings, StandardCharsets.ISO_8859_1);
    }

    @Test
    void reads1mLayout() throws IOException {
        write1m("1::1::5::978300760\r\n1::2::3::978302109\n\n2::3::4::978301968\n2::1::1::978301000");
        MovieLensData d = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(d.ratings().size()).isEqualTo(4);
        assertThat(d.ratings().labels()).containsExactly(1f, 0f, 1f, 0f);
        assertThat(d.movie(2).title()).isEqualTo("Caf\u00e9 au Lait (1993)");
        assertThat(d.movie(2).year()).isEqualTo(1993);
        assertThat(d.movie(3).year()).isZero();
        assertThat(d.user(2).occupation()).isEqualTo("self-employed");
        MovieLensData p = MovieLensReader.read(dir, LabelRule.paper());
        assertThat(p.ratings().size()).isEqualTo(3);
        assertThat(p.ratings().movieIds()).containsExactly(1, 3, 1);
    }

    @Test
    void reads100kLayout() throws IOException {
        Files.writeString(dir.resolve("u.data"), "1\t2\t3\t881250949\n2\t1\t5\t891717742\n");
        Files.writeString(dir.resolve("u.user"), "1|24|M|technician|85711\n2|53|F|other|94043\n");
        String flags1 = "|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0";
        String flags2 = "|0|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0|1|0|0";
        Files.writeString(dir.resolve("u.item"), "1|Toy Story (1995)|01-Jan-1995||http://x" + flags1 + "\n"
                + "2|Mis\u00e9rables, Les|01-Jan-1995||http://y" + flags2 + "\n", StandardCharsets.ISO_8859_1);
        MovieLensData d = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(d.ratings().size()).isEqualTo(2);
        assertThat(d.movie(1).genres()).containsExactly("Animation", "Children's", "Comedy");
        assertThat(d.movie(2).genres()).containsExactly("Action", "Adventure", "Thriller");
        assertThat(d.movie(2).year()).isEqualTo(1995); // from the release date
        assertThat(d.movie(2).title()).isEqualTo("Mis\u00e9rables, Les");
        assertThat(d.user(2).ageGroup()).isEqualTo(50);
    }

    @Test
    void badInputNamesFileLineColumnAndText() throws IOException {
        write1m("1::1::5::978300760\n1::2::x5::978302109\n");
        assertThatThrownBy(() -> MovieLensReader.read(dir, LabelRule.atLeast(4)))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("ratings.dat").hasMessageContaining("line 2").hasMessageContaining("column 3")
                .hasMessageContaining("rating is not a number").hasMessageContaining("\"x5\"")
                .satisfies(e -> {
                    DataFormatException d = (DataFormatException) e;
                    assertThat(d.line()).isEqualTo(2);
                    assertThat(d.column()).isEqualTo(3);
                    assertThat(d.text()).isEqualTo("x5");
                });
        write1m("1::1::5::978300760\n1::2::5\n");
        assertThatThrownBy(() -> MovieLensReader.read(dir, LabelRule.atLeast(4)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("line 2")
                .hasMessageContaining("expected 4 fields").hasMessageContaining("found 3");
        write1m("1:1::5::978300760\n");
        assertThatThrownBy(() -> MovieLensReader.read(dir, LabelRule.atLeast(4)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("line 1");
        write1m("1::1::9::978300760\n");
        assertThatThrownBy(() -> MovieLensReader.read(dir, LabelRule.atLeast(4)))
                .hasMessageContaining("rating outside [0.5, 5]");
        write1m("");
        assertThatThrownBy(() -> MovieLensReader.read(dir, LabelRule.atLeast(4)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("ratings.dat").hasMessageContaining("file is empty");
        write1m("1::1::5::" + "9".repeat(100) + "\n");
        assertThatThrownBy(() -> MovieLensReader.read(dir, LabelRule.atLeast(4)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("too large").hasMessageContaining("...");
        Files.delete(dir.resolve("movies.dat"));
        assertThatThrownBy(() -> MovieLensReader.read(dir, LabelRule.atLeast(4)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("movies.dat").hasMessageContaining("file not found");
        assertThatThrownBy(() -> MovieLensReader.read(dir.resolve("nope"), LabelRule.atLeast(4)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("not a MovieLens directory");
    }

    @Test
    void skipsAndCountsBadLinesWhenAsked() throws IOException {
        write1m("1::1::5::978300760\nbad line\n1::2::abc::978302109\n2::3::4::978301968\n-1::3::4::1\n");
        MovieLensData d = MovieLensReader.read(dir, LabelRule.atLeast(4), true);
        assertThat(d.ratings().size()).isEqualTo(2);
        assertThat(d.skippedLines()).isEqualTo(3);
    }

    // ---- damaged or re-encoded copies: handled, or skipped and counted, never silently lost ----

    private static final String FLAGS_COMEDY = "|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0";

    private void write100k(String data) throws IOException {
        Files.writeString(dir.resolve("u.data"), data);
        Files.writeString(dir.resolve("u.user"), "1|24|M|technician|85711\n2|53|F|other|94043\n");
        Files.writeString(dir.resolve("u.item"), "1|Toy Story (1995)|01-Jan-1995||http://x" + FLAGS_COMEDY + "\n"
                + "2|Caf\u00e9 au Lait (1993)|01-Jan-1993||http://y" + FLAGS_COMEDY + "\n", StandardCharsets.ISO_8859_1);
    }

    private void writeBytes(String name, byte[]... parts) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        Files.write(dir.resolve(name), b.toByteArray());
    }

    private static byte[] text(String s, Charset cs) {
        return s.getBytes(cs);
    }

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @Test
    void ratingsOfUnknownUsersAndMoviesAreKeptAndCounted1m() throws IOException {
        // user 7 is not in users.dat, movies 8 and 9 are not in movies.dat
        write1m("1::1::5::978300760\n7::2::4::978300761\n7::1::2::978300762\n2::8::5::978300763\n1::9::1::978300764\n");
        MovieLensData d = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(d.ratings().size()).isEqualTo(5);
        LoadReport r = d.loadReport();
        assertThat(r.ratingsWithUnknownUser()).isEqualTo(2);
        assertThat(r.unknownUsers()).isEqualTo(1);
        assertThat(r.ratingsWithUnknownMovie()).isEqualTo(2);
        assertThat(r.unknownMovies()).isEqualTo(2);
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("2 ratings of 1 user missing from users.dat kept without a user profile"))
                .anyMatch(w -> w.startsWith("2 ratings of 2 movies missing from movies.dat kept"));
        assertThat(d.user(7)).isNull();
        // They encode, with their profile features missing (id 0).
        MovieLensEncoder enc = MovieLensEncoder.fit(FeaturePreset.PAPER, d);
        EncodedDataset ds = enc.encode(d);
        assertThat(ds.size()).isEqualTo(5);
        assertThat(ds.id(1, 0)).isZero(); // gender of user 7
    }

    @Test
    void ratingsOfUnknownUsersAndMoviesAreKeptAndCounted100k() throws IOException {
        write100k("1\t2\t3\t881250949\n5\t1\t5\t891717742\n2\t6\t4\t891717743\n");
        MovieLensData d = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(d.ratings().size()).isEqualTo(3);
        LoadReport r = d.loadReport();
        assertThat(r.ratingsWithUnknownUser()).isEqualTo(1);
        assertThat(r.ratingsWithUnknownMovie()).isEqualTo(1);
        assertThat(r.warnings()).anyMatch(w -> w.contains("missing from u.user")).anyMatch(w -> w.contains("missing from u.item"));
        // and rows the label rule drops are counted too
        assertThat(MovieLensReader.read(dir, LabelRule.paper()).loadReport().droppedByLabel()).isEqualTo(1);
    }

    @Test
    void aTruncatedLastLineIsSkippedAndCounted1m() throws IOException {
        write1m("1::1::5::978300760\n2::3::4::978301968\n1::2::5::97830");
        MovieLensData complete = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(complete.ratings().size()).isEqualTo(3); // readable without its line end: kept
        assertThat(complete.loadReport().ratings().endsWithoutNewline()).isTrue();
        assertThat(complete.loadReport().truncatedLines()).isZero();
        assertThat(complete.loadReport().warnings()).anyMatch(w -> w.contains("ratings.dat: the last line has no line end (the file may be truncated)"));

        write1m("1::1::5::978300760\n2::3::4::978301968\n1::2::");
        MovieLensData d = MovieLensReader.read(dir, LabelRule.atLeast(4)); // not skipping bad lines, still no error
        assertThat(d.ratings().size()).isEqualTo(2);
        assertThat(d.loadReport().ratings().truncatedLines()).isEqualTo(1);
        assertThat(d.loadReport().truncatedLines()).isEqualTo(1);
        assertThat(d.skippedLines()).isZero();
        assertThat(d.loadReport().warnings()).anyMatch(w -> w.contains("ratings.dat: the last line has no line end and cannot be read"));
        // the same line with a line end is an ordinary bad line
        write1m("1::1::5::978300760\n2::3::4::978301968\n1::2::\n");
        assertThatThrownBy(() -> MovieLensReader.read(dir, LabelRule.atLeast(4))).hasMessageContaining("line 3")
                .hasMessageContaining("expected 4 fields");
        // a file of one unterminated bad line is not "truncated": there is nothing before it
        write1m("1::2::");
        assertThatThrownBy(() -> MovieLensReader.read(dir, LabelRule.atLeast(4))).hasMessageContaining("expected 4 fields");

        // a truncated users.dat: the cut user's ratings are kept and counted as of an unknown user
        write1m("1::1::5::978300760\n2::3::4::978301968\n");
        Files.writeString(dir.resolve("users.dat"), "1::F::1::10::48067\n2::M::56::16", StandardCharsets.ISO_8859_1);
        MovieLensData u = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(u.loadReport().users().truncatedLines()).isEqualTo(1);
        assertThat(u.loadReport().ratingsWithUnknownUser()).isEqualTo(1);
        assertThat(u.ratings().size()).isEqualTo(2);
    }

    @Test
    void aTruncatedLastLineIsSkippedAndCounted100k() throws IOException {
        write100k("1\t2\t3\t881250949\n2\t1\t5\t891717742\n2\t2");
        MovieLensData d = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(d.ratings().size()).isEqualTo(2);
        assertThat(d.loadReport().ratings().truncatedLines()).isEqualTo(1);
        // cut in the middle of a UTF-8 character: the file is still recognised as UTF-8
        byte[] line2 = text("2|Caf\u00e9 au Lait (1993)|01-Jan-1993||http://y" + FLAGS_COMEDY + "\n", StandardCharsets.UTF_8);
        byte[] cut = text("3|Mis\u00e9", StandardCharsets.UTF_8);
        writeBytes("u.item", text("1|Toy Story (1995)|01-Jan-1995||http://x" + FLAGS_COMEDY + "\n", StandardCharsets.UTF_8), line2,
                java.util.Arrays.copyOf(cut, cut.length - 1));
        MovieLensData u = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(u.loadReport().charset("u.item")).isEqualTo("UTF-8");
        assertThat(u.loadReport().movies().truncatedLines()).isEqualTo(1);
        assertThat(u.movie(2).title()).isEqualTo("Caf\u00e9 au Lait (1993)");
        assertThat(u.movies()).hasSize(2);
    }

    @Test
    void aUtf8MovieFileIsDecodedAsUtf8AndALatin1OneAsLatin1() throws IOException {
        write1m("1::1::5::978300760\n");
        MovieLensData latin1 = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(latin1.loadReport().charset("movies.dat")).isEqualTo("ISO-8859-1");
        assertThat(latin1.loadReport().charset("ratings.dat")).isEqualTo("US-ASCII");
        assertThat(latin1.loadReport().warnings()).isEmpty();

        Files.writeString(dir.resolve("movies.dat"), "1::Toy Story (1995)::Animation\n2::Caf\u00e9 au Lait (1993)::Comedy\n"
                + "3::Les Mis\u00e9rables \u2013 \u201cLive\u201d (2012)::Drama\n", StandardCharsets.UTF_8);
        MovieLensData utf8 = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(utf8.movie(2).title()).isEqualTo("Caf\u00e9 au Lait (1993)");
        assertThat(utf8.movie(3).title()).isEqualTo("Les Mis\u00e9rables \u2013 \u201cLive\u201d (2012)");
        assertThat(utf8.movie(3).year()).isEqualTo(2012);
        assertThat(utf8.loadReport().charset("movies.dat")).isEqualTo("UTF-8");
        assertThat(utf8.loadReport().movies().charset()).isEqualTo("UTF-8");
        assertThat(utf8.loadReport().warnings()).containsExactly(dir.resolve("movies.dat")
                + ": decoded as UTF-8, since it holds valid multi-byte UTF-8 (the GroupLens original is ISO-8859-1)");

        write100k("1\t2\t3\t881250949\n");
        Files.writeString(dir.resolve("u.item"), "1|Toy Story (1995)|01-Jan-1995||http://x" + FLAGS_COMEDY + "\n"
                + "2|Caf\u00e9 au Lait (1993)|01-Jan-1993||http://y" + FLAGS_COMEDY + "\n", StandardCharsets.UTF_8);
        assertThat(MovieLensReader.read100k(dir, LabelRule.atLeast(4), false).movie(2).title()).isEqualTo("Caf\u00e9 au Lait (1993)");
    }

    @Test
    void aByteOrderMarkAtTheStartOfAnyFileIsSkipped1m() throws IOException {
        write1m("1::1::5::978300760\n2::2::3::978300761\n");
        for (String name : new String[] {"users.dat", "movies.dat", "ratings.dat"}) {
            byte[] plain = Files.readAllBytes(dir.resolve(name));
            writeBytes(name, BOM, plain);
        }
        MovieLensData d = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(d.ratings().size()).isEqualTo(2);
        assertThat(d.user(1).gender()).isEqualTo("F");
        assertThat(d.movie(1).title()).isEqualTo("Toy Story (1995)");
        assertThat(d.loadReport().files()).allMatch(LoadReport.FileReport::bomStripped);
        assertThat(d.loadReport().bomStripped()).isTrue();
        assertThat(d.loadReport().charset("movies.dat")).isEqualTo("ISO-8859-1"); // the BOM says nothing about the rest
        assertThat(d.loadReport().warnings()).filteredOn(w -> w.contains("byte order mark")).hasSize(3);
    }

    @Test
    void aByteOrderMarkAtTheStartOfAnyFileIsSkipped100k() throws IOException {
        write100k("1\t2\t3\t881250949\n2\t1\t5\t891717742\n");
        Files.writeString(dir.resolve("u.genre"), String.join("\n", java.util.stream.IntStream.range(0, 19)
                .mapToObj(i -> MovieLensReader.GENRES_100K.get(i) + "|" + i).toList()) + "\n");
        for (String name : new String[] {"u.data", "u.user", "u.item", "u.genre"}) {
            byte[] plain = Files.readAllBytes(dir.resolve(name));
            writeBytes(name, BOM, plain);
        }
        MovieLensData d = MovieLensReader.read(dir, LabelRule.atLeast(4));
        assertThat(d.ratings().size()).isEqualTo(2);
        assertThat(d.user(1).age()).isEqualTo(24);
        assertThat(d.movie(2).genres()).containsExactly("Comedy");
        assertThat(d.loadReport().files()).hasSize(4).allMatch(LoadReport.FileReport::bomStripped);
    }
}
