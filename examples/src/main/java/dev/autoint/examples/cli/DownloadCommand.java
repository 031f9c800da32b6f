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

    @picocli.CommandLine.Option(names = "--sha256", paramLabel = "HEX",
            description = "the SHA-256 the archive must have (no digest is pinned in this build; see autoint-data/README.md)")
    String sha256;

    @Override
    public Integer call() throws Exception {
        MovieLensDownloader.Dataset d = switch (dataset.toLowerCase(Locale.ROOT)) {
            case "movielens-1m" -> MovieLensDownloader.Dataset.ML_1M;
            case "movielens-100k" -> MovieLensDownloader.Dataset.ML_100K;
            default -> throw new CliException(2, "DATASET must be movielens-1m or movielens-100k, got '" + dataset + "'");
        };
        if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new CliException(2, "--sha256 must be 64 hexadecimal digits, got '" + sha256 + "'");
        }
        MovieLensDownloader dl = sha256 == null ? new MovieLensDownloader()
                : new MovieLensDownloader(MovieLensDownloader.defaultCacheDir(), MovieLensDownloader.DEFAULT_BASE_URI,
                        d == MovieLensDownloader.Dataset.ML_1M ? sha256 : MovieLensDownloader.configuredSha256(MovieLensDownloader.Dataset.ML_1M),
                        d == MovieLensDownloader.Dataset.ML_100K ? sha256 : MovieLensDownloader.configuredSha256(MovieLensDownloader.Dataset.ML_100K),
                        java.time.Duration.ofMinutes(5));
        System.out.println("downloaded to " + dl.fetch(d));
        return 0;
    }
}
