package dev.autoint.bench;

import dev.autoint.core.data.FieldSpec;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.SplitSpec.Split;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.MovieLensEncoder;
import dev.autoint.data.movielens.MovieLensReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prints, as Markdown tables, each preset's field cardinalities (vocabulary sizes including id 0) for
 * MovieLens directories: fitted on all rows, and on the train part of a global temporal 80/20 split.
 *
 * <p>Arguments: the datasets root (default: {@code ../shared/datasets} found from the working directory);
 * it reads {@code ml-1m-half} and {@code ml-100k} under it, or any directory given after the root.
 * Run: {@code java -cp autoint-bench/target/benchmarks.jar dev.autoint.bench.PrintCardinalities [datasetsRoot] [names...]}.
 */
public final class PrintCardinalities {

    private PrintCardinalities() {
    }

    /**
     * Prints the tables.
     *
     * @param args {@code [datasetsRoot] [directory names...]}
     * @throws Exception when the data cannot be read
     */
    public static void main(String[] args) throws Exception {
        Path root = args.length > 0 ? Path.of(args[0]) : LoadBenchmark.findDefault().getParent();
        List<String> names = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("ml-1m-half", "ml-100k");
        for (String name : names) {
            Path dir = root.resolve(name);
            if (!Files.isDirectory(dir)) {
                System.out.println("(skipping " + dir + ": not found)");
                continue;
            }
            for (FeaturePreset preset : FeaturePreset.values()) {
                MovieLensData data = MovieLensReader.read(dir, preset.labelRule());
                Split split = SplitSpec.globalTemporal(0.8, 0).apply(data.ratings().size(), null, data.ratings().timestamps());
                MovieLensData train = data.select(split.train());
                List<FieldSpec> full = MovieLensEncoder.fit(preset, data).fieldSpecs();
                List<FieldSpec> part = MovieLensEncoder.fit(preset, train).fieldSpecs();
                System.out.printf("%n%s, preset %s: %d rows (%d users, %d movies rated); train 80%%: %d rows%n%n",
                        name, preset, data.ratings().size(), data.ratings().distinctUsers(), data.ratings().distinctMovies(),
                        train.ratings().size());
                StringBuilder h = new StringBuilder("| |");
                StringBuilder sep = new StringBuilder("|---|");
                StringBuilder a = new StringBuilder("| all rows |");
                StringBuilder b = new StringBuilder("| train 80% |");
                for (int f = 0; f < full.size(); f++) {
                    FieldSpec s = full.get(f);
                    h.append(' ').append(s.name()).append(" |");
                    sep.append("---:|");
                    a.append(' ').append(s.kind() == dev.autoint.core.data.FieldKind.NUMERIC ? "num" : Integer.toString(s.vocabularySize())).append(" |");
                    b.append(' ').append(part.get(f).kind() == dev.autoint.core.data.FieldKind.NUMERIC ? "num"
                            : Integer.toString(part.get(f).vocabularySize())).append(" |");
                }
                System.out.println(h);
                System.out.println(sep);
                System.out.println(a);
                System.out.println(b);
            }
        }
    }
}
