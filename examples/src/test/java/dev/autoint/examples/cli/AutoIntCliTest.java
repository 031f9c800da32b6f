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
    void trainWritesTheModelDirectory() throws Exception {
        for (String f : new String[] {"model.safetensors", "model.json", "encoder.json", "metrics.json",
            "learning-curve.png", "metrics-baseline-lr.json"}) {
            assertThat(model.resolve(f)).as(f).exists();
        }
        byte[] png = Files.readAllBytes(model.resolve("learning-curve.png"));
        assertThat(png.length).isGreaterThan(2000);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        assertThat(Files.readString(model.resolve("metrics.json"))).contains("\"ndcg@10\"").contains("held-out");
    }

    @Test
    void recommendShowsProfileHistoryAndTopN() {
        Run r = run("recommend", model.toString(), "--user", "1", "--top", "5", "--alpha", "0.1", "--lambda", "0.3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("user 1:").contains("liked in training").contains("top 5 for user 1")
                .contains(" 5. ").contains("adjusted");
        Run cmp = run("recommend", model.toString(), "--user", "1", "--top", "3", "--compare", model.toString());
        assertThat(cmp.code()).as(cmp.err()).isZero();
        assertThat(cmp.out()).contains("model");
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
    void trainsOnACsvFileWithAJsonSchema() throws Exception {
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
                + "\"labelColumn\": \"clicked\"}");
        Path out = dir.resolve("csv-model");
        Run r = run("train", "--data", data.toString(), "--schema", schema.toString(), "--out", out.toString(),
                "--model", "autoint", "--epochs", "3", "--batch", "256", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("test AUC");
        assertThat(Files.readString(out.resolve("metrics.json"))).contains("\"auc\"");
        assertThat(out.resolve("model.safetensors")).exists();
        Run rec = run("recommend", out.toString(), "--user", "1");
        assertThat(rec.code()).isEqualTo(2);
        assertThat(rec.err()).contains("CSV");
        Run badSchema = run("train", "--data", data.toString(), "--schema", dir.resolve("none.json").toString(),
                "--out", dir.resolve("y").toString());
        assertThat(badSchema.code()).isEqualTo(3);
    }

    @Test
    void badInputGivesClearErrorsAndExitCodes() throws Exception {
        Run badPreset = run(with(new String[] {"train", "--preset", "nope", "--out", dir.resolve("x").toString()}, TINY));
        assertThat(badPreset.code()).isEqualTo(2);
        assertThat(badPreset.err()).contains("--preset");
        Run missing = run("recommend", dir.resolve("nowhere").toString(), "--user", "1");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).contains("does not exist");
        Run noUser = run("recommend", model.toString(), "--user", "999999");
        assertThat(noUser.code()).isEqualTo(2);
        Run badMonth = run("recommend", model.toString(), "--user", "1", "--month", "13");
        assertThat(badMonth.code()).isEqualTo(2);

        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        for (String f : new String[] {"model.json", "model.safetensors"}) Files.copy(model.resolve(f), broken.resolve(f));
        byte[] w = Files.readAllBytes(broken.resolve("model.safetensors"));
        Files.write(broken.resolve("model.safetensors"), java.util.Arrays.copyOf(w, w.length / 2));
        Run incompatible = run("evaluate", broken.toString());
        assertThat(incompatible.code()).isEqualTo(4);
        assertThat(incompatible.err()).contains("truncated");
    }
}
