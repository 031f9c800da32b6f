package dev.autoint.examples.cli;

import dev.autoint.data.DataFormatException;
import dev.autoint.data.table.DelimitedFormat;
import dev.autoint.data.table.TableEncoder;
import dev.autoint.eval.bundle.FilePredictor;
import dev.autoint.eval.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Score every row of a delimited file with a bundle trained with --schema, streaming (memory does "
                + "not grow with the file), and write line,probability as CSV.")
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "a directory written by `autoint train --schema`")
    Path bundleDir;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "rows in the bundle's schema; the label column may be absent")
    Path data;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.csv", description = "where to write line,probability")
    Path out;

    @Option(names = "--delimiter", paramLabel = "D", description = "field delimiter of --data (default: the one the bundle was trained with)")
    String delimiter;

    @Option(names = "--threads", description = "scoring threads (default: available processors)")
    Integer threads;

    @Option(names = "--chunk", defaultValue = "16384", description = "rows per chunk (default: ${DEFAULT-VALUE})")
    int chunk = FilePredictor.DEFAULT_CHUNK;

    @Override
    public Integer call() throws Exception {
        if (threads != null && threads < 1) throw new CliException(2, "--threads must be >= 1, got " + threads);
        if (chunk < 1) throw new CliException(2, "--chunk must be >= 1, got " + chunk);
        if (Files.isDirectory(out)) throw new CliException(2, "--out " + out + " is a directory; give a CSV file name");
        if (!Files.isRegularFile(data)) throw new CliException(3, "--data " + data + ": no such file");
        char delim;
        try {
            delim = delimiter != null ? DelimitedFormat.parseDelimiter(delimiter) : 0;
        } catch (IllegalArgumentException e) {
            throw new CliException(2, "--delimiter: " + e.getMessage());
        }
        ModelBundle b = Bundles.open(bundleDir, "BUNDLE");
        if (!(b.encoder() instanceof TableEncoder)) {
            throw new CliException(2, "predict scores files in a bundle's schema; " + bundleDir + " was trained on MovieLens data "
                    + "(use recommend, or the Java API)");
        }
        DelimitedFormat format = ((TableEncoder) b.encoder()).schema().format();
        if (delimiter != null) format = format.withDelimiter(delim);
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        FilePredictor.Result r;
        try {
            r = FilePredictor.predict(b, data, format, out, t, chunk);
        } catch (DataFormatException e) {
            throw new CliException(2, e.getMessage());
        }
        System.out.printf(Locale.ROOT, "scored %d rows of %s in %.2f s (%.0f rows/s, %d threads); wrote %s%n", r.rows(), data,
                r.seconds(), r.rowsPerSecond(), t, out);
        return 0;
    }
}
