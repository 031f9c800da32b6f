package dev.autoint.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line tool end to end on tiny synthetic data: files, output, charts and exit codes. */
class AutoIntCliTest {

    static final String[] TINY = {"--synthetic-users", "150", "--synthetic-movies", "120", "--synthetic-ratings", "40"};

    @TempDir
    static Path dir;
    static Path model;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = AutoIntCli.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String[] with(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @BeforeAll
    static void train() {
        model = dir.resolve("model");
        Run r = run(with(new String[] {"train", "--out", model.toString(), "--epochs", "2", "--batch", "256",
            "--quiet", "--baselines"}, TINY));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("autoint+").contains("logistic regression").contains("item popularity");
    }

    @Test
    void trainWritesTheBundle() throws Exception {
        for (String f : new String[] {"bundle.json", "model.safetensors", "model.json", "encoder.json", "movielens-catalogue.json",
            "interactions.safetensors", "heldout.safetensors", "metrics.json", "learning-curve.png", "metrics-baseline-lr.json",
            "metrics-baseline-popularity.json"}) {
            assertThat(model.resolve(f)).as(f).exists();
        }
        byte[] png = Files.readAllBytes(model.resolve("learning-curve.png"));
        assertThat(png.length).isGreaterThan(2000);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        assertThat(Files.readString(model.resolve("metrics.json"))).contains("\"ndcg@10\"").contains("held-out");
        assertThat(dev.autoint.eval.bundle.ModelBundle.load(model).files()).hasSize(10);
    }

    @Test
    void recommendShowsProfileHistoryAndTopN() {
        Run r = run("recommend", model.toString(), "--user", "7", "--top", "5", "--alpha", "0.1", "--lambda", "0.3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("user 7:").contains("liked in training").contains("rated").contains("top 5 for user 7")
                .contains(" 5. ").contains("adjusted").contains("attention:");
        Run cmp = run("recommend", model.toString(), "--user", "7", "--top", "3", "--compare", model.toString());
        assertThat(cmp.code()).as(cmp.err()).isZero();
        assertThat(cmp.out()).contains("model");
    }

    @Test
    void recommendAllWritesEveryUsersList() throws Exception {
        Path csv = dir.resolve("all.csv");
        Run r = run("recommend-all", model.toString(), "--top", "3", "--threads", "2", "--out", csv.toString());
        assertThat(r.code()).as(r.err()).isZero();
        java.util.List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("user,rank,item,title,score,adjusted_score");
        assertThat(lines.size() - 1).isEqualTo(3 * (int) lines.stream().skip(1).map(l -> l.split(",")[0]).distinct().count());
    }

    @Test
    void checkpointsAndResumeContinueTraining() throws Exception {
        Path cp = dir.resolve("checkpoints");
        Path first = dir.resolve("first"), resumed = dir.resolve("resumed");
        Run a = run(with(new String[] {"train", "--out", first.toString(), "--epochs", "2", "--batch", "512", "--quiet",
            "--patience", "0", "--checkpoints", cp.toString()}, TINY));
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(cp.resolve("epoch-002")).isDirectory();
        Run b = run(with(new String[] {"train", "--out", resumed.toString(), "--epochs", "3", "--batch", "512", "--quiet",
            "--patience", "0", "--resume", cp.toString()}, TINY));
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(cp.resolve("epoch-003")).isDirectory();
        assertThat(b.out()).contains("best epoch");
        Run none = run(with(new String[] {"train", "--out", dir.resolve("r2").toString(), "--resume", dir.resolve("no-cp").toString()}, TINY));
        assertThat(none.code()).isEqualTo(3);
        assertThat(none.err()).contains("--resume");
    }

    @Test
    void trainChoosesEveryModelOfTheFamilyAndItsBundleRecommends() throws Exception {
        String[][] models = {
            {"fm", "fm"},
            {"deepfm", "fm", "--dnn", "16"},
            {"dcnv2", "cross", "--dnn", "16", "--cross-layers", "1", "--cross-stacked"},
            {"xdeepfm", "cin", "--dnn", "16", "--cin", "6,4"}};
        for (String[] m : models) {
            Path out = dir.resolve("family-" + m[0]);
            String[] args = with(new String[] {"train", "--out", out.toString(), "--model", m[0], "--epochs", "1", "--batch", "512",
                "--quiet"}, TINY);
            Run r = run(with(args, java.util.Arrays.copyOfRange(m, 2, m.length)));
            assertThat(r.code()).as(m[0] + ": " + r.err()).isZero();
            assertThat(r.out()).contains("model: " + m[0]);
            assertThat(Files.readString(out.resolve("model.json"))).as(m[0]).contains("\"type\" : \"" + m[1] + "\"");
            Run rec = run("recommend", out.toString(), "--user", "7", "--top", "3");
            assertThat(rec.code()).as(m[0] + ": " + rec.err()).isZero();
            assertThat(rec.out()).contains("top 3 for user 7").doesNotContain("attention:");
        }
        assertThat(Files.readString(dir.resolve("family-dcnv2").resolve("model.json"))).contains("\"stacked\" : true");
        Run bad = run(with(new String[] {"train", "--out", dir.resolve("bad").toString(), "--model", "fm", "--heads", "4"}, TINY));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--heads").contains("fm");
        Run badCin = run(with(new String[] {"train", "--out", dir.resolve("bad").toString(), "--model", "dcnv2", "--cin", "4"}, TINY));
        assertThat(badCin.code()).isEqualTo(2);
        assertThat(badCin.err()).contains("--cin");
        Run odd = run(with(new String[] {"train", "--out", dir.resolve("bad").toString(), "--model", "xdeepfm", "--cin", "5,4"}, TINY));
        assertThat(odd.code()).isEqualTo(2);
        assertThat(odd.err()).contains("interaction.layerSizes[0]");
    }

    @Test
    void trainWithARankingLossWritesABundleThatEvaluatesLikeAnyOther() throws Exception {
        for (String[] loss : new String[][] {{"bpr", "popularity"}, {"hinge", "uniform"}}) {
            Path out = dir.resolve("pairwise-" + loss[0]);
            Run r = run(with(new String[] {"train", "--out", out.toString(), "--loss", loss[0], "--negatives", loss[1],
                "--epochs", "2", "--batch", "512", "--quiet"}, TINY));
            assertThat(r.code()).as(loss[0] + ": " + r.err()).isZero();
            assertThat(Files.readString(out.resolve("bundle.json"))).contains("\"loss\" : \"" + loss[0] + "\"")
                    .contains("\"negatives\" : \"" + loss[1]);
            Run eval = run("evaluate", out.toString(), "--protocols", "heldout,sampled", "--negatives", "20",
                    "--out", dir.resolve("pairwise-eval-" + loss[0]).toString());
            assertThat(eval.code()).as(eval.err()).isZero();
            assertThat(dir.resolve("pairwise-eval-" + loss[0]).resolve("metrics-sampled.json")).exists();
        }
        String[][] bad = {
            {"--loss", "softmax"}, {"--loss"},
            {"--negatives", "uniform"}, {"--negatives"},
            {"--loss", "bpr", "--negatives", "hard"}, {"--negatives"},
            {"--loss", "bpr", "--popularity-beta", "0.5"}, {"--popularity-beta"},
            {"--loss", "bpr", "--negatives", "popularity", "--popularity-beta", "-1"}, {"--popularity-beta"},
            {"--loss", "hinge", "--monitor", "logloss"}, {"--monitor logloss", "--loss bce"}};
        for (int i = 0; i < bad.length; i += 2) {
            Run r = run(with(with(new String[] {"train", "--out", dir.resolve("bad").toString()}, TINY), bad[i]));
            assertThat(r.code()).as(String.join(" ", bad[i]) + ": " + r.err()).isEqualTo(2);
            for (String m : bad[i + 1]) assertThat(r.err()).contains(m);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        }
    }

    @Test
    void evaluateWritesMetricsAndHistograms() throws Exception {
        Path out = dir.resolve("eval");
        Run r = run("evaluate", model.toString(), "--protocols", "heldout,sampled", "--negatives", "20", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(out.resolve("metrics.json")).exists();
        assertThat(out.resolve("metrics-sampled.json")).exists();
        try (var files = Files.list(out)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("histogram-")).count()).isGreaterThan(0);
        }
    }

    @Test
    void aCsvWithoutUsersOrItemsTrainsScoresAndEvaluatesButDoesNotRecommend() throws Exception {
        StringBuilder csv = new StringBuilder("user,ad,hour,price,tags,clicked\n");
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 3000; i++) {
            int user = rnd.nextInt(40), ad = rnd.nextInt(30), hour = rnd.nextInt(24);
            double logit = (user % 3 == ad % 3 ? 2.0 : -1.0) + (hour > 17 ? 0.5 : 0);
            csv.append("u").append(user).append(",ad").append(ad).append(',').append(hour).append(',')
                    .append(1 + rnd.nextInt(50)).append(",").append(rnd.nextBoolean() ? "sale|new" : "new").append(',')
                    .append(rnd.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0).append('\n');
        }
        Path data = dir.resolve("clicks.csv");
        Files.writeString(data, csv);
        Path schema = dir.resolve("schema.json");
        Files.writeString(schema, "{\"fields\": ["
                + "{\"name\": \"user\", \"kind\": \"CATEGORICAL\", \"columns\": [\"user\"]},"
                + "{\"name\": \"ad\", \"kind\": \"CATEGORICAL\", \"columns\": [\"ad\"]},"
                + "{\"name\": \"hour\", \"kind\": \"CATEGORICAL\", \"columns\": [\"hour\"]},"
                + "{\"name\": \"price\", \"kind\": \"NUMERIC\", \"columns\": [\"price\"], \"transform\": \"MIN_MAX\"},"
                + "{\"name\": \"tags\", \"kind\": \"MULTI_CATEGORICAL\", \"columns\": [\"tags\"]}],"
                + "\"labelColumn\": \"clicked\", \"labelRule\": {\"positiveAtLeast\": 1, \"negativeBelow\": 1}}");
        Path out = dir.resolve("csv-model");
        Run r = run("train", "--data", data.toString(), "--schema", schema.toString(), "--out", out.toString(),
                "--model", "autoint", "--epochs", "3", "--batch", "256", "--quiet", "--baselines");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("random 80/10/10").contains("logistic regression").contains("no item popularity baseline");
        assertThat(Files.readString(out.resolve("metrics.json"))).contains("\"auc\"");
        Run eval = run("evaluate", out.toString());
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("AUC").contains("skipped [full, sampled]");
        Run rec = run("recommend", out.toString(), "--user", "u1");
        assertThat(rec.code()).isEqualTo(2);
        assertThat(rec.err()).contains("cannot recommend").contains("items");
    }
}
