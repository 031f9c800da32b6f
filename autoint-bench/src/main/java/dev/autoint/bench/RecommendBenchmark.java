package dev.autoint.bench;

import dev.autoint.core.internal.kernel.KernelProvider;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Predictor;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.SyntheticMovieLens;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.eval.recommend.Recommender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.autoint.data.Catalogue;
import dev.autoint.eval.recommend.Recommender.Recommendation;
import dev.autoint.eval.recommend.Recommender.Rerank;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Top-10 recommendation for one user over a MovieLens-1M-sized catalogue (3,706 movies) on one thread:
 * encode every unrated movie as a candidate row in the user's context, score them with the seed AutoInt+
 * (untrained weights: the arithmetic is the same), partial sort, re-rank with recency α = 0.05 and
 * diversity λ = 0.2, and explain each pick from the user's history and from the model's attention
 * (one extra single-row forward pass per recommended movie).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", KernelProvider.JIT_FLAGS, "-Xmx2g"})
public class RecommendBenchmark {

    Recommender recommender;
    int user;

    @Setup(Level.Trial)
    public void setUp() {
        MovieLensData data = SyntheticMovieLens.builder().users(3000).movies(3706).ratingsPerUser(120).seed(1).generate();
        MovieLensExperiment x = MovieLensExperiment.prepare(data, FeaturePreset.SEEDS,
                SplitSpec.globalTemporal(0.8, 0.1));
        AutoIntModel model = AutoIntModel.create(SeedSetup.config(), x.encoder().fieldSpecs());
        Predictor p = model.predictor();
        Map<String, String> ctx = x.encoder().defaultContext();
        Catalogue cat = x.encoder().catalogue();
        recommender = Recommender.builder(cat, x.trainInteractions(),
                        x.scorer(model, Integer.parseInt(ctx.get("year")), Integer.parseInt(ctx.get("month"))))
                .explanationHook(Recommender.ExplanationHook.attention(p,
                        (u, item) -> cat.candidates(x.encoder().contextRow(u, ctx, new ArrayList<>()), 0, new int[] {item}), 2))
                .build();
        user = x.trainInteractions().user(0);
    }

    @Benchmark
    public List<Recommendation> top10WithRerankAndExplanations() {
        return recommender.recommend(user, 10, new Rerank(0.05, 0.2, 0));
    }
}
