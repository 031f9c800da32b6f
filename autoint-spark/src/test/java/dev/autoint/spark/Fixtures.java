package dev.autoint.spark;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.Trainer;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.SyntheticMovieLens;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.RawTable;
import dev.autoint.data.table.Schema;
import dev.autoint.data.table.TableEncoder;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.movielens.MovieLensExperiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small bundles and data for the Spark tests: a click log with a schema, and synthetic MovieLens ratings. */
final class Fixtures {

    /**
     * A shop schema with every field kind and transform that reads cells: a categorical with minCount, a
     * lower-cased categorical, a cross, a multi-valued field, a log-scaled and an unscaled number, missing
     * tokens; items and users. The label column holds 0, 1, 2 and missing values.
     */
    static final String SCHEMA = """
            {"fields": [
              {"name": "user", "kind": "CATEGORICAL", "columns": ["user"], "minCount": 2},
              {"name": "item", "kind": "CATEGORICAL", "columns": ["item"], "maxSize": 30},
              {"name": "category", "kind": "CATEGORICAL", "columns": ["category"], "transform": "LOWERCASE"},
              {"name": "device_hour", "kind": "CATEGORICAL", "columns": ["device", "hour"]},
              {"name": "tags", "kind": "MULTI_CATEGORICAL", "columns": ["tags"], "separator": "|"},
              {"name": "price", "kind": "NUMERIC", "columns": ["price"], "transform": "LOG1P_MIN_MAX"},
              {"name": "rank", "kind": "NUMERIC", "columns": ["rank"]}],
             "labelColumn": "clicked", "labelRule": {"positiveAtLeast": 1, "negativeBelow": 1},
             "timestampColumn": "ts", "userColumn": "user",
             "items": {"keyField": "item", "fields": ["item", "category", "tags", "price"], "tagsField": "tags"},
             "missingValues": ["NA"]}
            """;

    static final String HEADER = "id,ts,user,item,category,device,hour,tags,price,rank,clicked";

    private Fixtures() {
    }

    /** The fixtures every test class of one JVM shares (built once; the folder is deleted at exit). */
    record Shared(Path csv, Path table, Path movies, MovieLensExperiment x) {
    }

    private static Shared shared;

    static synchronized Shared shared() throws IOException {
        if (shared == null) {
            Path dir = Files.createTempDirectory("autoint-spark-fixtures-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            Path csv = clickLog(dir.resolve("log.csv"), 1500, 7);
            MovieLensExperiment x = movieLens(dir.resolve("movies"));
            shared = new Shared(csv, tableBundle(csv, dir.resolve("shop")), dir.resolve("movies"), x);
        }
        return shared;
    }

    /** {@link #shared()}, its IOException unchecked. */
    static Shared sharedQuietly() {
        try {
            return shared();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // Best effort at exit.
        }
    }

    /** {@code rows} lines of a click log (with an id column the schema does not read), seeded. */
    static Path clickLog(Path file, int rows, long seed) throws IOException {
        Random rnd = new Random(seed);
        String[] cats = {"Shoes", "shoes", "Books", "TOYS", "garden", "NA"};
        String[] devices = {"mobile", "desktop", "tablet"};
        String[] tagSets = {"sale|new", "new", "sale", "", "NA", "clearance|sale|new", "b\"q|x,y"};
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < rows; i++) {
            int item = rnd.nextInt(40);
            String price = rnd.nextInt(15) == 0 ? "NA" : String.format(java.util.Locale.ROOT, "%.2f", 1 + item * 3.7 + rnd.nextInt(5));
            String tags = tagSets[(item + rnd.nextInt(2)) % tagSets.length];
            sb.append(i).append(',').append(1_700_000_000L + i * 7L + rnd.nextInt(3)).append(',').append(rnd.nextInt(20) == 0 ? "r" + i : "u" + rnd.nextInt(60))
                    .append(",i").append(item).append(',').append(cats[item % cats.length]).append(',')
                    .append(devices[rnd.nextInt(devices.length)]).append(',').append(rnd.nextInt(24)).append(',')
                    .append('"').append(tags.replace("\"", "\"\"")).append('"').append(',').append(price).append(',')
                    .append(rnd.nextInt(10) == 0 ? "" : Integer.toString(rnd.nextInt(100) - 20)).append(',')
                    .append(rnd.nextInt(30) == 0 ? "NA" : Integer.toString(rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(2) : 0)).append('\n');
        }
        Files.writeString(file, sb);
        return file;
    }

    /** A bundle trained briefly on the click log {@code csv} with {@link #SCHEMA}. */
    static Path tableBundle(Path csv, Path dir) throws IOException {
        Schema schema = Schema.fromJson(SCHEMA);
        RawTable raw = DelimitedReader.read(csv, schema, schema.format());
        TableEncoder enc = TableEncoder.fit(raw);
        AutoIntModel model = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(4), enc.fieldSpecs());
        Trainer.builder(model).epochs(2).batchSize(64).threads(1).build().fit(enc.encode(raw), null);
        Interactions in = Interactions.of(enc.userIds(raw), enc.itemIds(raw), raw.labels(), raw.timestamps());
        ModelBundle.builder(model, enc).trainInteractions(in, null).write(dir);
        return dir;
    }

    /** Synthetic MovieLens ratings, split by time, with a bundle trained briefly on the training part. */
    static MovieLensExperiment movieLens(Path dir) throws IOException {
        MovieLensData data = SyntheticMovieLens.builder().users(150).movies(120).ratingsPerUser(30).seed(5).generate();
        MovieLensExperiment x = MovieLensExperiment.prepare(data, FeaturePreset.SEEDS, SplitSpec.globalTemporal(0.8, 0.1));
        AutoIntModel model = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(3), x.encoder().fieldSpecs());
        Trainer.builder(model).epochs(1).batchSize(256).threads(1).build().fit(x.train(), null);
        x.bundle(model).write(dir);
        return x;
    }
}
