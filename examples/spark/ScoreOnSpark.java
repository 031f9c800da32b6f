import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.Metrics;
import dev.autoint.core.train.Trainer;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.MovieLensData.Ratings;
import dev.autoint.data.movielens.MovieLensReader;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.spark.AutoIntSparkConf;
import dev.autoint.spark.LocalCluster;
import dev.autoint.spark.SparkRecommender;
import dev.autoint.spark.SparkScorer;
import dev.autoint.spark.SparkTrainer;
import dev.autoint.spark.TrainingShards;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Trains AutoInt+ on MovieLens with Spark (or loads a bundle trained before), scores the held-out ratings as a
 * DataFrame on the executors, then recommends the top 10 movies for every user on the executors and writes them
 * as Parquet. Training validates on the executors after every epoch (early stopping on validation AUC). With
 * {@code --checkpoints URI} every epoch is checkpointed there and a run started again resumes from the latest
 * complete checkpoint.
 *
 * <pre>
 * bin/autoint-spark example                       # local[2], trains into runs/spark-ml1m, scores, recommends
 * bin/autoint-spark example --cluster             # the same on a two-worker standalone cluster on 127.0.0.1
 * bin/autoint-spark example --checkpoints file:///tmp/ml1m-checkpoints   # resumable training
 * bin/autoint-spark example --master spark://HOST:7077 --bundle runs/ml1m   # score and recommend with an existing bundle
 * </pre>
 * Options: {@code --data DIR} (MovieLens 1M layout, default ../shared/datasets/ml-1m-half), {@code --bundle DIR}
 * (loaded when it holds a bundle, else written after training; default runs/spark-ml1m), {@code --epochs N}
 * (default 20, early stopping on validation AUC), {@code --checkpoints URI} (any Hadoop file system URI),
 * {@code --recommendations URI} (where the Parquet lists go, replaced if present; default
 * runs/spark-ml1m-top10), {@code --alpha A} and {@code --lambda L} (re-ranking by recency and diversity,
 * default 0.1 and 0.3), {@code --master URL} (default local[2]), {@code --cluster}.
 */
public class ScoreOnSpark {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        Path data = Path.of(opt.getOrDefault("data", "../shared/datasets/ml-1m-half"));
        Path bundleDir = Path.of(opt.getOrDefault("bundle", "runs/spark-ml1m"));
        int epochs = Integer.parseInt(opt.getOrDefault("epochs", "20"));

        LocalCluster cluster = opt.containsKey("cluster")
                ? LocalCluster.start(Path.of("autoint-spark/target/example-cluster"), 2, 1, "1200m", Duration.ofMinutes(30)) : null;
        SparkConf conf = cluster != null ? cluster.driverConf("ScoreOnSpark", "1g")
                : new SparkConf().setMaster(opt.getOrDefault("master", "local[2]")).setAppName("ScoreOnSpark")
                        .set("spark.driver.host", "127.0.0.1").set("spark.ui.enabled", "false");
        SparkSession spark = SparkSession.builder().config(AutoIntSparkConf.withVectorApi(conf)).getOrCreate();
        try {
            // The data: seeds preset, the first 80% of ratings by time for training (its last 10% to validate).
            MovieLensData ml = MovieLensReader.read(data, FeaturePreset.SEEDS.labelRule());
            MovieLensExperiment x = MovieLensExperiment.prepare(ml, FeaturePreset.SEEDS,
                    SplitSpec.globalTemporal(0.8, 0.1));

            if (!ModelBundle.isBundle(bundleDir)) {
                // Distributed training: two shards, one synchronous step per global batch of 2048 rows. The ratings were
                // read and encoded here, on the driver; ratings that Spark reads from files where they are would be
                // encoded on the executors instead: TrainingShards.encodeRatings(spark, ratings, x.encoder(), "user",
                // "movie", "rating", "ts"). (Not for rows made on the driver: every task would carry them.)
                AutoIntModel model = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus(), x.encoder().fieldSpecs());
                // The validation rows are cached on the executors too and scored there after every epoch.
                try (TrainingShards shards = TrainingShards.of(spark, x.train(), 2);
                     TrainingShards valid = TrainingShards.of(spark, x.valid(), 2)) {
                    SparkTrainer.Builder b = SparkTrainer.builder(spark, model).epochs(epochs).batchSize(2048).learningRate(1e-3f)
                            .l2Embedding(1e-5f).earlyStopping(Trainer.Monitor.AUC, 2, true);
                    String checkpoints = opt.get("checkpoints");
                    if (checkpoints != null) {
                        b.checkpoints(checkpoints);
                        Optional<String> latest = SparkTrainer.latestCheckpoint(spark, checkpoints);
                        latest.ifPresent(b::resumeFrom);
                        System.out.println(latest.map(c -> "resuming from " + c).orElse("no checkpoint in " + checkpoints + " yet"));
                    }
                    SparkTrainer trainer = b.build();
                    Trainer.History h = trainer.fitValidatingOnExecutors(shards, valid);
                    System.out.printf("trained on Spark: %d epochs, best %d (validation AUC %.4f)%n", h.epochs().size(),
                            h.bestEpoch() + 1, h.best().validAuc());
                    System.out.println("per step: " + trainer.stats().perStep());
                }
                Files.createDirectories(bundleDir.toAbsolutePath().getParent());
                x.bundle(model).provenance(Map.of("trainedWith", "autoint-spark SparkTrainer, 2 shards")).write(bundleDir);
                System.out.println("bundle written to " + bundleDir);
            }

            // Distributed scoring: the held-out ratings as (user, movie, time) rows.
            Ratings test = x.testData().ratings();
            List<Row> rows = new ArrayList<>(test.size());
            for (int i = 0; i < test.size(); i++) {
                rows.add(RowFactory.create(i, test.userIds()[i], test.movieIds()[i], test.timestamps()[i], test.labels()[i]));
            }
            StructType type = new StructType().add("row", DataTypes.IntegerType).add("user", DataTypes.IntegerType)
                    .add("movie", DataTypes.IntegerType).add("ts", DataTypes.LongType).add("label", DataTypes.FloatType);
            Dataset<Row> events = spark.createDataFrame(rows, type).repartition(4);
            try (SparkScorer scorer = SparkScorer.load(spark, bundleDir)) {
                Dataset<Row> scored = scorer.scoreInteractions(events, "user", "movie", "ts", "probability").cache();
                scored.orderBy("row").show(5);
                List<Row> all = scored.select("label", "probability").collectAsList();
                float[] labels = new float[all.size()], p = new float[all.size()];
                for (int i = 0; i < p.length; i++) {
                    labels[i] = all.get(i).getFloat(0);
                    p[i] = all.get(i).getFloat(1);
                }
                System.out.printf("scored %d held-out ratings on Spark: AUC %.4f%n", p.length, Metrics.auc(p, labels, p.length));
                System.out.println("kernels: " + scorer.executorKernels().values());
            }

            // Distributed recommendation: the top 10 unrated movies of every user, re-ranked for recency and diversity.
            String recommendations = opt.getOrDefault("recommendations", "runs/spark-ml1m-top10");
            try (SparkRecommender recommender = SparkRecommender.forBundle(spark, bundleDir)) {
                recommender.n(10).alpha(Double.parseDouble(opt.getOrDefault("alpha", "0.1")))
                        .lambda(Double.parseDouble(opt.getOrDefault("lambda", "0.3"))).explanations(true);
                long t0 = System.nanoTime();
                recommender.recommendAll().write().mode(SaveMode.Overwrite).parquet(recommendations);
                double secs = (System.nanoTime() - t0) / 1e9;
                Dataset<Row> lists = spark.read().parquet(recommendations);
                long users = lists.select("user").distinct().count();
                System.out.printf("recommended for %d users on Spark in %.1f s, written to %s%n", users, secs, recommendations);
                String first = recommender.bundle().encoder().users().all().get(0).key();
                lists.filter(lists.col("user").equalTo(first)).orderBy("rank").show(10, 60);
            }
        } finally {
            spark.stop();
            if (cluster != null) cluster.close();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String key = args[i].substring(2);
            if (key.equals("cluster")) m.put(key, "true");
            else if (i + 1 < args.length) m.put(key, args[++i]);
            else throw new IllegalArgumentException(args[i] + " needs a value");
        }
        return m;
    }
}
