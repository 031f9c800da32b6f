package dev.autoint.examples.cli;

import static dev.autoint.examples.cli.AutoIntCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.eval.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's path through docs/DATA.md: the worked example's schema, read from the document itself, on
 * tab-separated train/valid/test files written here in the layout the document shows; then train, predict,
 * evaluate and recommend with the commands the document gives.
 */
class CsvWorkflowTest {

    @TempDir
    static Path dir;
    static Path bundle;
    static Path schema;

    /** The JSON between the schema markers of docs/DATA.md. */
    static String schemaFromDocs() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "DATA.md"));
        Matcher m = Pattern.compile("<!-- schema:begin -->\\s*```json\\s*(.*?)```\\s*<!-- schema:end -->", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("docs/DATA.md has a schema block").isTrue();
        return m.group(1);
    }

    /** Rows in the worked example's layout; clicks depend on user group × category and on price. */
    static void writeLog(Path file, long t0, int rows, long seed, boolean withLabel) throws Exception {
        String[] categories = {"shoes", "Books", "toys", "garden"};
        String[] tags = {"sale|new", "NA", "new", "sale", "gift|sale"};
        String[] devices = {"mobile", "desktop", "NA"};
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder(withLabel ? "ts\tuser\titem\tcategory\ttags\tprice\tdevice\tclicked\n"
                : "ts\tuser\titem\tcategory\ttags\tprice\tdevice\n");
        for (int i = 0; i < rows; i++) {
            int user = rnd.nextInt(60), item = rnd.nextInt(40);
            int cat = item % categories.length;
            double price = 5 + (item * 7.3) % 120;
            double logit = (user % 4 == cat ? 2.0 : -1.2) - price / 200;
            sb.append(t0 + 60L * i).append('\t').append('u').append(user).append('\t')
                    .append(String.format(Locale.ROOT, "i%03d", item)).append('\t').append(categories[cat]).append('\t')
                    .append(tags[item % tags.length]).append('\t').append(String.format(Locale.ROOT, "%.2f", price)).append('\t')
                    .append(devices[rnd.nextInt(devices.length)]);
            if (withLabel) sb.append('\t').append(rnd.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0);
            sb.append('\n');
        }
        Files.writeString(file, sb);
    }

    @BeforeAll
    static void train() throws Exception {
        schema = dir.resolve("shop-schema.json");
        Files.writeString(schema, schemaFromDocs());
        writeLog(dir.resolve("shop-train.tsv"), 1_700_000_000L, 4000, 1, true);
        writeLog(dir.resolve("shop-valid.tsv"), 1_700_300_000L, 600, 2, true);
        writeLog(dir.resolve("shop-test.tsv"), 1_700_400_000L, 800, 3, true);
        bundle = dir.resolve("runs").resolve("shop");
        AutoIntCliTest.Run r = run("train", "--data", dir.resolve("shop-train.tsv").toString(),
                "--valid", dir.resolve("shop-valid.tsv").toString(), "--test", dir.resolve("shop-test.tsv").toString(),
                "--schema", schema.toString(), "--out", bundle.toString(), "--baselines",
                "--epochs", "4", "--batch", "256", "--quiet");
        assertThat(r.code()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("read shop-train.tsv: 4000 rows read")
                .contains("given files").contains("catalogue: 40 items").contains("logistic regression").contains("item popularity");
    }

    @Test
    void theBundleHoldsEverythingItNeeds() throws Exception {
        ModelBundle b = ModelBundle.load(bundle);
        assertThat(b.files()).containsKeys("model.safetensors", "model.json", "encoder.json", "table-catalogue.json",
                "table-catalogue.safetensors", "interactions.safetensors", "heldout.safetensors", "metrics.json",
                "learning-curve.png", "metrics-baseline-lr.json", "metrics-baseline-popularity.json");
        assertThat(b.heldOut().rows().size()).isEqualTo(800);
        assertThat(b.trainInteractions().size()).isEqualTo(4000);
        assertThat(b.encoder().catalogue().size()).isEqualTo(40);
        assertThat(b.encoder().catalogue().item(b.encoder().catalogue().itemIds()[0]).key()).isEqualTo("i000");
        assertThat(b.encoder().vocabulary("category").values()).contains("books").doesNotContain("Books");
        assertThat(b.manifest().provenance()).containsKeys("dataFingerprint", "split", "recipe", "history", "test");
        try (var s = Files.list(bundle.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("shop"); // nothing staged left
        }
    }

    @Test
    void predictScoresEveryRowOfANewFileWithoutLabels() throws Exception {
        Path labelled = dir.resolve("shop-new-labelled.tsv");
        writeLog(labelled, 1_700_500_000L, 1234, 4, true);
        Path fresh = dir.resolve("shop-new.tsv"); // the same rows without the label column
        Files.write(fresh, Files.readAllLines(labelled).stream().map(l -> l.substring(0, l.lastIndexOf('\t'))).toList());
        Path out = dir.resolve("scores.csv");
        AutoIntCliTest.Run r = run("predict", bundle.toString(), "--data", fresh.toString(), "--out", out.toString(), "--chunk", "100");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(1235);
        assertThat(lines.get(0)).isEqualTo("line,probability");
        assertThat(lines.get(1)).startsWith("2,0.");
        assertThat(lines.get(1234)).startsWith("1235,");
        // the same probabilities as the in-memory predictor on the same rows
        ModelBundle b = ModelBundle.load(bundle);
        dev.autoint.data.table.TableEncoder enc = (dev.autoint.data.table.TableEncoder) b.encoder();
        float[] p = b.predictor().predict(enc.encode(dev.autoint.data.table.DelimitedReader.read(labelled, enc.schema(),
                enc.schema().format())));
        for (int i = 0; i < p.length; i++) {
            assertThat(Double.parseDouble(lines.get(i + 1).split(",")[1])).isCloseTo(p[i], org.assertj.core.data.Offset.offset(6e-7));
        }
    }

    @Test
    void evaluateUsesTheStoredHeldOutRowsAndAddsItsReportsToTheBundle() throws Exception {
        AutoIntCliTest.Run r = run("evaluate", bundle.toString(), "--negatives", "10");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("held-out-reranking").contains("full-catalog").contains("sampled");
        ModelBundle b = ModelBundle.load(bundle); // still verifies: the reports were added by rewriting the bundle
        assertThat(b.files()).containsKeys("metrics-full-catalog.json", "metrics-sampled.json");
        Path other = dir.resolve("shop-later.tsv");
        writeLog(other, 1_700_600_000L, 500, 5, true);
        AutoIntCliTest.Run onFile = run("evaluate", bundle.toString(), "--data", other.toString(), "--out",
                dir.resolve("eval-later").toString(), "--protocols", "heldout");
        assertThat(onFile.code()).as(onFile.err()).isZero();
        assertThat(dir.resolve("eval-later").resolve("metrics.json")).exists();
    }

    @Test
    void recommendWorksFromTheCatalogue() {
        AutoIntCliTest.Run r = run("recommend", bundle.toString(), "--user", "u17", "--top", "5", "--lambda", "0.3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("user u17:").contains("top 5 for user u17").contains(" 5. i0");
        AutoIntCliTest.Run ctx = run("recommend", bundle.toString(), "--user", "u17", "--top", "3", "--set", "device=desktop");
        assertThat(ctx.code()).as(ctx.err()).isZero();
        AutoIntCliTest.Run badField = run("recommend", bundle.toString(), "--user", "u17", "--set", "colour=red");
        assertThat(badField.code()).isEqualTo(2);
        assertThat(badField.err()).contains("colour");
        AutoIntCliTest.Run itemField = run("recommend", bundle.toString(), "--user", "u17", "--set", "price=3");
        assertThat(itemField.code()).isEqualTo(2);
        assertThat(itemField.err()).contains("price").contains("item");
    }
}
