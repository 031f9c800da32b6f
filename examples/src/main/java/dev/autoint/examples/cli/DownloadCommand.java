package dev.autoint.examples.cli;

import dev.autoint.data.movielens.MovieLensDownloader;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download MovieLens 1M or 100K from GroupLens into the user cache, verifying its checksum.")
final class DownloadCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DATASET", description = "movielens-1m or movielens-100k")
    String dataset;

    @Override
    public Integer call() throws Exception {
        MovieLensDownloader.Dataset d = switch (dataset.toLowerCase(Locale.ROOT)) {
            case "movielens-1m" -> MovieLensDownloader.Dataset.ML_1M;
            case "movielens-100k" -> MovieLensDownloader.Dataset.ML_100K;
            default -> throw new CliException(2, "DATASET must be movielens-1m or movielens-100k, got '" + dataset + "'");
        };
        System.out.println("downloaded to " + new MovieLensDownloader().fetch(d));
        return 0;
    }
}
