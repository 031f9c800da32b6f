package dev.autoint.examples.cli;

import dev.autoint.data.SplitSpec;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.table.DelimitedFormat;
import dev.autoint.data.table.Schema;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.MovieLensDownloader;
import dev.autoint.data.movielens.MovieLensReader;
import dev.autoint.data.movielens.SyntheticMovieLens;
import dev.autoint.eval.movielens.MovieLensExperiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the data comes from and how it is split: MovieLens (a directory, a cached download or synthetic ratings) or
 * delimited files described by a schema. Shared by train, compare and tune, which all read their data through
 * {@link #prepare()}.
 */
final class DataOptions {

    @Option(names = "--data", defaultValue = "synthetic", paramLabel = "SOURCE",
            description = "synthetic (default, offline), movielens-1m or movielens-100k (from the download cache), "
                    + "or a MovieLens directory (ml-1m layout: users.dat, movies.dat, ratings.dat; or ml-100k: u.data, u.item, u.user)")
    String data = "synthetic";

    @Option(names = "--preset", defaultValue = "seeds", description = "feature preset: seeds or paper (default: ${DEFAULT-VALUE})")
    String preset = "seeds";

    @Option(names = "--split", defaultValue = "global-temporal",
            description = "global-temporal (80/20 by time, last 10%% of train for validation), random (80/10/10), "
                    + "or per-user-temporal (each user's last 20%% for testing, the 10%% before for validation) (default: ${DEFAULT-VALUE})")
    String split = "global-temporal";

    @Option(names = "--split-seed", defaultValue = "2019", description = "seed of the random split (default: ${DEFAULT-VALUE})")
    long splitSeed = 2019;

    @Option(names = "--synthetic-users", defaultValue = "2000", description = "users of the synthetic data (default: ${DEFAULT-VALUE})")
    int syntheticUsers = 2000;

    @Option(names = "--synthetic-movies", defaultValue = "1200", description = "movies of the synthetic data (default: ${DEFAULT-VALUE})")
    int syntheticMovies = 1200;

    @Option(names = "--synthetic-ratings", defaultValue = "60", description = "ratings per synthetic user (default: ${DEFAULT-VALUE})")
    int syntheticRatings = 60;

    @Option(names = "--synthetic-seed", defaultValue = "42", description = "seed of the synthetic data (default: ${DEFAULT-VALUE})")
    long syntheticSeed = 42;

    @Option(names = "--delimiter", paramLabel = "D",
            description = "field delimiter of a --schema file: a character, or \\t, tab, comma, semicolon, pipe "
                    + "(default: the schema's \"delimiter\", else a comma)")
    String delimiter;

    @Option(names = "--schema", paramLabel = "SCHEMA.json",
            description = "read a delimited file: --data is then the file and this JSON schema names its fields, "
                    + "their kinds, the label column and rule (see docs/DATA.md)")
    Path schema;

    @Option(names = "--valid", paramLabel = "FILE", description = "with --schema: validation rows (needs --test)")
    Path validFile;

    @Option(names = "--test", paramLabel = "FILE", description = "with --schema: test rows; without it --data is split")
    Path testFile;

    /** Reads, splits and encodes the data the options name (call {@link #validate()} first). */
    PreparedData prepare() throws IOException {
        if (schema == null) return PreparedData.movieLens(this);
        Schema s;
        try {
            s = Schema.load(schema);
        } catch (dev.autoint.data.DataFormatException e) {
            throw new CliException(2, "--schema " + e.getMessage());
        }
        return PreparedData.table(Path.of(data), validFile, testFile, withDelimiter(s), splitSeed);
    }

    /** Checks the values that need no data; problems exit with code 2 (or 3 for a missing file) naming the option. */
    void validate() {
        if (schema == null && (validFile != null || testFile != null)) {
            throw new CliException(2, "--valid and --test need --schema (MovieLens data is split with --split)");
        }
        if (schema == null && Files.isRegularFile(Path.of(data))) {
            throw new CliException(2, "--data " + data + " is a file: give --schema SCHEMA.json to describe its columns "
                    + "(a JSON file naming the fields, their kinds and the label column; see docs/DATA.md)");
        }
        if (schema != null && !Files.isRegularFile(schema)) throw new CliException(3, "--schema " + schema + ": no such file");
        featurePreset();
        splitSpec();
        if (delimiter != null) delimiterChar();
        if (syntheticUsers < 1 || syntheticMovies < 1 || syntheticRatings < 1) {
            throw new CliException(2, "--synthetic-users, --synthetic-movies and --synthetic-ratings must be >= 1");
        }
    }

    char delimiterChar() {
        try {
            return DelimitedFormat.parseDelimiter(delimiter);
        } catch (IllegalArgumentException e) {
            throw new CliException(2, "--delimiter: " + e.getMessage());
        }
    }

    /** The schema with --delimiter, when given, as its "delimiter": the bundle then reads files the same way. */
    Schema withDelimiter(Schema s) {
        if (delimiter == null) return s;
        delimiterChar();
        return new Schema(s.fields(), s.labelColumn(), s.labelRule(), s.timestampColumn(), s.userColumn(), s.items(), delimiter,
                s.header(), s.columnNames(), s.missingValues());
    }

    FeaturePreset featurePreset() {
        return switch (preset.toLowerCase(Locale.ROOT)) {
            case "seeds" -> FeaturePreset.SEEDS;
            case "paper" -> FeaturePreset.PAPER;
            default -> throw new CliException(2, "--preset must be seeds or paper, got '" + preset + "'");
        };
    }

    SplitSpec splitSpec() {
        return switch (split.toLowerCase(Locale.ROOT)) {
            case "global-temporal" -> SplitSpec.globalTemporal(0.8, 0.1);
            case "random" -> SplitSpec.random(0.8, 0.1, splitSeed);
            case "per-user-temporal" -> SplitSpec.perUserTemporal(0.2, 0.1);
            default -> throw new CliException(2, "--split must be global-temporal, random or per-user-temporal, got '" + split + "'");
        };
    }

    MovieLensData load() throws IOException {
        FeaturePreset p = featurePreset();
        switch (data.toLowerCase(Locale.ROOT)) {
            case "synthetic":
                return SyntheticMovieLens.builder().users(syntheticUsers).movies(syntheticMovies)
                        .ratingsPerUser(syntheticRatings).seed(syntheticSeed).labelRule(p.labelRule()).generate();
            case "movielens-1m":
            case "movielens-100k": {
                MovieLensDownloader d = new MovieLensDownloader();
                MovieLensDownloader.Dataset ds = data.endsWith("1m") ? MovieLensDownloader.Dataset.ML_1M
                        : MovieLensDownloader.Dataset.ML_100K;
                Path dir = d.datasetDir(ds);
                if (!Files.isDirectory(dir)) {
                    throw new CliException(3, "no " + data + " in the cache (" + dir + "): run `autoint download " + data + "` first");
                }
                return report(MovieLensReader.read(dir, p.labelRule()));
            }
            default: {
                Path dir = Path.of(data);
                if (!Files.isDirectory(dir)) {
                    throw new CliException(3, "--data " + data + ": no such directory (expected synthetic, movielens-1m, "
                            + "movielens-100k or a MovieLens directory)");
                }
                return report(MovieLensReader.read(dir, p.labelRule()));
            }
        }
    }

    /** Prints what reading skipped, decoded or could not match, as warnings. */
    private static MovieLensData report(MovieLensData d) {
        for (String w : d.loadReport().warnings()) System.err.println("autoint: warning: " + w);
        return d;
    }

    /** What to store in a model's manifest so that evaluate and recommend rebuild the same data and split. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", isPath() ? Path.of(data).toAbsolutePath().normalize().toString() : data);
        m.put("preset", preset);
        m.put("split", split);
        m.put("splitSeed", splitSeed);
        m.put("syntheticUsers", syntheticUsers);
        m.put("syntheticMovies", syntheticMovies);
        m.put("syntheticRatings", syntheticRatings);
        m.put("syntheticSeed", syntheticSeed);
        return m;
    }

    private boolean isPath() {
        String d = data.toLowerCase(Locale.ROOT);
        return !d.equals("synthetic") && !d.startsWith("movielens-");
    }

    /** The options a model was trained with, read back from its manifest. */
    static DataOptions from(Map<String, Object> stored) {
        DataOptions o = new DataOptions();
        if (stored == null) return o;
        o.data = String.valueOf(stored.getOrDefault("data", o.data));
        o.preset = String.valueOf(stored.getOrDefault("preset", o.preset));
        o.split = String.valueOf(stored.getOrDefault("split", o.split));
        o.splitSeed = ((Number) stored.getOrDefault("splitSeed", o.splitSeed)).longValue();
        o.syntheticUsers = ((Number) stored.getOrDefault("syntheticUsers", o.syntheticUsers)).intValue();
        o.syntheticMovies = ((Number) stored.getOrDefault("syntheticMovies", o.syntheticMovies)).intValue();
        o.syntheticRatings = ((Number) stored.getOrDefault("syntheticRatings", o.syntheticRatings)).intValue();
        o.syntheticSeed = ((Number) stored.getOrDefault("syntheticSeed", o.syntheticSeed)).longValue();
        return o;
    }
}
