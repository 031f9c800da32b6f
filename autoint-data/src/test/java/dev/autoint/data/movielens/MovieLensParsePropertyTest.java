package dev.autoint.data.movielens;

import dev.autoint.data.DataFormatException;
import dev.autoint.data.LabelRule;
import dev.autoint.data.movielens.MovieLensData.Ratings;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Random input lines give either a valid parse or a {@link DataFormatException}, never anything else. */
class MovieLensParsePropertyTest {

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> noise = Arbitraries.strings().withChars("0123456789:|\t.-x \u00e9\r\n").ofMaxLength(40);
        Arbitrary<String> ints = Arbitraries.longs().between(-5, 5_000_000_000L).map(x -> Long.toString(x));
        Arbitrary<String> nearlyValid = net.jqwik.api.Combinators.combine(ints, ints,
                        Arbitraries.of("1", "2.5", "5", "0", "6", "", "x", "3.", ".5", "1.2.3"), ints,
                        Arbitraries.of("::", ":", ":::", "\t", "|"))
                .as((u, m, r, t, sep) -> u + sep + m + sep + r + sep + t);
        return Arbitraries.oneOf(noise, nearlyValid, Arbitraries.strings().ofMaxLength(30));
    }

    @Property(tries = 300)
    void ratingsLines(@ForAll("lines") String a, @ForAll("lines") String b) {
        byte[] data = (a + "\n" + b + "\n").getBytes(StandardCharsets.ISO_8859_1);
        for (String delim : List.of("::", "\t")) {
            try {
                Ratings r = MovieLensReader.parseRatings(new ByteLines(data, "ratings.dat", delim), LabelRule.atLeast(4), false,
                        new long[1]);
                assertThat(r.size()).isLessThanOrEqualTo(data.length / 7);
                for (float x : r.ratings()) assertThat(x).isBetween(0.5f, 5f);
                for (int u : r.userIds()) assertThat(u).isPositive();
            } catch (DataFormatException e) {
                assertThat(e.getMessage()).startsWith("ratings.dat");
            }
            ByteLines lines = new ByteLines(data, "ratings.dat", delim);
            long[] dropped = new long[1];
            try {
                Ratings r = MovieLensReader.parseRatings(lines, LabelRule.atLeast(4), true, dropped);
                long count = (a + "\n" + b + "\n").chars().filter(ch -> ch == '\n').count();
                assertThat(r.size() + lines.skippedLines() + dropped[0]).isLessThanOrEqualTo(count);
                assertThat(lines.truncatedLines()).isZero(); // every line ends with a line feed
            } catch (DataFormatException e) {
                assertThat(e.getMessage()).contains("file is empty");
            }
        }
    }

    @Property(tries = 200)
    void userAndMovieLines(@ForAll("lines") String a) {
        byte[] data = (a + "\n").getBytes(StandardCharsets.ISO_8859_1);
        try {
            MovieLensReader.readUsers1m(new ByteLines(data, "users.dat", "::"), false);
        } catch (DataFormatException e) {
            assertThat(e.getMessage()).startsWith("users.dat");
        }
        try {
            MovieLensReader.readMovies1m(new ByteLines(data, "movies.dat", "::"), false);
        } catch (DataFormatException e) {
            assertThat(e.getMessage()).startsWith("movies.dat");
        }
        try {
            MovieLensReader.readItems100k(new ByteLines(data, "u.item", "|"), MovieLensReader.GENRES_100K, false);
        } catch (DataFormatException e) {
            assertThat(e.getMessage()).startsWith("u.item");
        }
    }
}
