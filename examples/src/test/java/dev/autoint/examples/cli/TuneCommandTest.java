package dev.autoint.examples.cli;

import static dev.autoint.examples.cli.AutoIntCliTest.TINY;
import static dev.autoint.examples.cli.AutoIntCliTest.run;
import static dev.autoint.examples.cli.AutoIntCliTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.eval.bundle.ModelBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code autoint tune} end to end on tiny synthetic data: table, chart, bundle, reproducibility, bad input. */
class TuneCommandTest {

    @TempDir
    Path dir;

    static final String[] TUNE = {"tune", "--trials", "3", "--epochs", "2", "--batch", "256", "--parallel", "2",
        "--params", "lr,embedding,dropout", "--startup", "2"};

    /** trials.csv without its last column (seconds). */
    static List<String> withoutSeconds(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().map(l -> l.substring(0, l.lastIndexOf(','))).collect(Collectors.toList());
    }

    @Test
    void tuneWritesTableChartAndBestBundleAndTheSameSeedGivesTheSameTable() throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        AutoIntCliTest.Run r = run(with(with(TUNE, "--out", a.toString(), "--seed", "11"), TINY));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("trial 3/3").contains("best: trial");
        for (String f : new String[] {"trials.md", "trials.csv", "trials.png", "best/bundle.json", "best/metrics.json",
            "best/learning-curve.png", "best/trials.md"}) {
            assertThat(a.resolve(f)).as(f).exists();
        }
        byte[] png = Files.readAllBytes(a.resolve("trials.png"));
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        List<String> csv = withoutSeconds(a.resolve("trials.csv"));
        assertThat(csv).hasSize(4);
        assertThat(csv.get(0)).isEqualTo("trial,learning-rate,embedding-size,dropout,valid_auc,valid_logloss,epochs,status");
        assertThat(Files.readString(a.resolve("trials.md"))).contains("| trial | learning-rate | embedding-size | dropout |");
        ModelBundle bundle = ModelBundle.load(a.resolve("best"));
        assertThat(bundle.manifest().provenance().toString()).contains("tune");

        AutoIntCliTest.Run again = run(with(with(TUNE, "--out", b.toString(), "--seed", "11"), TINY));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(withoutSeconds(b.resolve("trials.csv"))).isEqualTo(csv);

        AutoIntCliTest.Run other = run(with(with(TUNE, "--out", dir.resolve("c").toString(), "--seed", "12"), TINY));
        assertThat(other.code()).as(other.err()).isZero();
        assertThat(withoutSeconds(dir.resolve("c").resolve("trials.csv"))).isNotEqualTo(csv);
    }

    @Test
    void badOptionsExitWithCode2NamingTheOption() throws Exception {
        String[][] cases = {
            {"--trials", "0"}, {"--search", "grid"}, {"--parallel", "0"}, {"--params", "lr,bogus"}, {"--params", "lr,lr"},
            {"--startup", "1"}, {"--prune-after", "-1"}, {"--model", "lr"}};
        String[] names = {"--trials", "--search", "--parallel", "--params", "--params", "--startup", "--prune-after", "--model lr"};
        for (int i = 0; i < cases.length; i++) {
            AutoIntCliTest.Run r = run(with(with(new String[] {"tune", "--out", dir.resolve("x").toString()}, cases[i]), TINY));
            assertThat(r.code()).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(r.err().strip()).as(String.join(" ", cases[i])).startsWith("autoint: ").contains(names[i]).doesNotContain("\n");
        }
        Files.writeString(dir.resolve("file"), "x");
        AutoIntCliTest.Run r = run(with(new String[] {"tune", "--out", dir.resolve("file").toString()}, TINY));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--out");
    }
}
