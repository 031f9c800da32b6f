package dev.autoint.data.movielens;

import dev.autoint.data.DataFormatException;
import dev.autoint.data.LabelRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
}
