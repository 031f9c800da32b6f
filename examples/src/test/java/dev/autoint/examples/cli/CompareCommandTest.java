package dev.autoint.examples.cli;

import static dev.autoint.examples.cli.AutoIntCliTest.TINY;
import static dev.autoint.examples.cli.AutoIntCliTest.run;
import static dev.autoint.examples.cli.AutoIntCliTest.with;
import static dev.autoint.examples.cli.BadInputCliTest.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.report.MetricsReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code autoint compare}: the table's shape, the significance column, no bundles, and the error cases. */
class CompareCommandTest {

    @TempDir
    static Path dir;
    static Path out;
    static AutoIntCliTest.Run result;

    @BeforeAll
    static void compare() {
        out = dir.resolve("cmp");
        result = run(with(new String[] {"compare", "--models", "fm,lr,popularity", "--seeds", "1,2", "--epochs", "1",
            "--threads", "1", "--out", out.toString()}, TINY));
        assertThat(result.code()).as(result.err()).isZero();
    }

    /** The Markdown table's lines: header, separator, then one row per model. */
    static List<String[]> table(String md) {
        List<String[]> rows = new ArrayList<>();
        for (String line : md.lines().filter(l -> l.startsWith("|")).toList()) {
            String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
            for (int i = 0; i < cells.length; i++) cells[i] = cells[i].strip();
            rows.add(cells);
        }
        return rows;
    }

    @Test
    void printsOneRowPerModelWithMeanAndSdOverSeedsAndASignificanceColumn() throws Exception {
        String md = Files.readString(out.resolve("compare.md"));
        assertThat(result.out()).contains(md.strip());
        List<String[]> t = table(md);
        assertThat(t).hasSize(2 + 3);
        String[] header = t.get(0);
        assertThat(header).containsExactly("model", "AUC", "logloss", "gAUC", "NDCG@10", "P@10", "R@10", "HR@10", "MAP@10", "MRR@10",
                "vs best: Δ NDCG@10 [95% CI], p (t / Wilcoxon)", "train s", "epochs");
        for (String[] row : t) assertThat(row).hasSameSizeAs(header);
        assertThat(t.subList(2, 5)).extracting(r -> r[0]).containsExactly("fm", "lr", "popularity");
        int best = 0;
        for (String[] row : t.subList(2, 5)) {
            for (int c = 1; c <= 9; c++) assertThat(row[c]).as(row[0] + " " + header[c]).matches("\\d\\.\\d{4} ± \\d\\.\\d{4}");
            if (row[10].equals("**best**")) {
                best++;
            } else {
                assertThat(row[10]).matches("(worse|better|n\\.s\\.) [+-]\\d\\.\\d{4} \\[[+-]\\d\\.\\d{4}, [+-]\\d\\.\\d{4}\\], p \\S+ / \\S+");
            }
            assertThat(row[12]).isEqualTo(row[0].equals("popularity") ? "0.0" : "1.0");
        }
        assertThat(best).isEqualTo(1);
        assertThat(md).contains("paired by test user");
    }

    @Test
    void writesTableRunsAndJsonButNoBundle() throws Exception {
        try (Stream<Path> s = Files.walk(out)) {
            assertThat(s.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).toList())
                    .containsExactlyInAnyOrder("compare.md", "compare.csv", "compare.json");
        }
        List<String> csv = Files.readAllLines(out.resolve("compare.csv"));
        assertThat(csv).hasSize(1 + 3 * 2);
        assertThat(csv.get(0)).startsWith("model,seed,auc,logloss,gauc,ndcg@10").endsWith("train_seconds,epochs,note");
        JsonNode json = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
        assertThat(json.get("models")).hasSize(3);
        assertThat(json.get("runs")).hasSize(6);
        assertThat(json.get("recipes").has("fm")).isTrue();
        int withComparison = 0;
        for (JsonNode m : json.get("models")) {
            if (m.has("vsBest")) {
                withComparison++;
                assertThat(m.get("vsBest").get("users").asInt()).isGreaterThan(1);
            } else {
                assertThat(m.get("best").asBoolean()).isTrue();
            }
        }
        assertThat(withComparison).isEqualTo(2);
    }

    /**
     * The significance column on held-out results built by hand: a model that ranks every user's rows in reverse
     * is significantly worse than one that ranks them right; a model with the best one's scores is not.
     */
    @Test
    void significanceNamesTheBestAndTheSignificantlyWorse() {
        SplittableRandom rnd = new SplittableRandom(7);
        int users = 60, per = 12, n = users * per;
        int[] u = new int[n], it = new int[n];
        float[] labels = new float[n];
        long[] ts = new long[n];
        for (int r = 0; r < n; r++) {
            u[r] = r / per;
            it[r] = r % per;
            labels[r] = rnd.nextInt(2); // binary relevance: 1 relevant, 0 not
            ts[r] = r;
        }
        Interactions test = Interactions.of(u, it, labels, ts);
        EvalConfig ec = EvalConfig.defaults().withBootstrap(0, 42);
        float[] right = new float[n], reversed = new float[n], noisy = new float[n];
        for (int r = 0; r < n; r++) {
            right[r] = 0.25f + 0.5f * labels[r] + (float) rnd.nextDouble(-0.1, 0.1);
            reversed[r] = 1 - right[r];
            noisy[r] = 0.25f + 0.5f * labels[r] + (float) rnd.nextDouble(-0.1, 0.1); // relevant rows still first
        }
        CompareCommand c = new CompareCommand();
        List<CompareCommand.Run> runs = new ArrayList<>();
        for (long seed : new long[] {1, 2}) {
            runs.add(new CompareCommand.Run("reversed", seed, Reports.heldOut(ec, test, reversed, true), 1, 1, null));
            runs.add(new CompareCommand.Run("right", seed, Reports.heldOut(ec, test, right, true), 1, 1, null));
            runs.add(new CompareCommand.Run("twin", seed, Reports.heldOut(ec, test, noisy, true), 1, 1, null));
        }
        CompareCommand.Table t = c.table(List.of("reversed", "right", "twin"), runs, CompareCommand.metricNames(10));
        assertThat(t.rows().get(t.best()).model()).isIn("right", "twin");
        String other = t.rows().get(t.best()).model().equals("right") ? "twin" : "right";
        assertThat(t.vsBest().get("reversed").verdict().toString()).isEqualTo("A_BETTER");
        assertThat(t.vsBest().get("reversed").meanDifference()).isPositive();
        assertThat(t.vsBest().get(other).significant()).isFalse();
        List<String[]> rows = table(t.markdown("data", "split"));
        for (String[] row : rows.subList(2, rows.size())) {
            String expected = row[0].equals("reversed") ? "worse -" : row[0].equals(other) ? "n.s. " : "**best**";
            assertThat(row[10]).as(row[0]).startsWith(expected);
        }
    }

    @Test
    void badOptionsExitWithCodeTwoBeforeAnyDataIsRead() {
        String nowhere = dir.resolve("nowhere").toString();
        assertFails(run("compare", "--data", nowhere, "--models", "fm,dcn"), 2, "--models", "unknown model 'dcn'");
        assertFails(run("compare", "--data", nowhere, "--models", "fm,FM"), 2, "--models", "twice");
        assertFails(run("compare", "--data", nowhere, "--seeds", "1,1"), 2, "--seeds");
        AutoIntCliTest.Run notANumber = run("compare", "--data", nowhere, "--seeds", "one");
        assertThat(notANumber.code()).isEqualTo(2);
        assertThat(notANumber.err()).contains("--seeds");
        assertFails(run("compare", "--data", nowhere, "--epochs", "0"), 2, "--epochs");
        assertFails(run("compare", "--data", nowhere, "--threads", "0"), 2, "--threads");
        assertFails(run("compare", "--data", nowhere, "--metric", "auc"), 2, "--metric", "per-user");
        assertFails(run("compare", "--data", nowhere, "--split", "sideways"), 2, "--split");
        assertFails(run("compare", "--data", nowhere, "--out", out.resolve("compare.md").toString()), 2, "--out", "existing file");
        assertFails(run("compare", "--data", out.resolve("compare.csv").toString()), 2, "--data", "is a file", "--schema");
        assertFails(run("compare", "--data", nowhere, "--models", "fm"), 3, "--data", "no such directory");
    }

    /** Compare reads a delimited file through a schema as train does; a schema without users and items is refused. */
    @Test
    void readsASchemaTableLikeTrainAndNeedsUsersAndItems() throws Exception {
        Path schema = dir.resolve("shop-schema.json");
        Files.writeString(schema, CsvWorkflowTest.schemaFromDocs());
        Path log = dir.resolve("shop.tsv");
        CsvWorkflowTest.writeLog(log, 1_700_000_000L, 3000, 1, true);
        Path tableOut = dir.resolve("cmp-table");
        AutoIntCliTest.Run r = run("compare", "--data", log.toString(), "--schema", schema.toString(), "--models", "fm,popularity",
                "--seeds", "1", "--epochs", "1", "--threads", "1", "--out", tableOut.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("read shop.tsv: 3000 rows read");
        List<String[]> t = table(Files.readString(tableOut.resolve("compare.md")));
        assertThat(t.subList(2, t.size())).extracting(row -> row[0]).containsExactly("fm", "popularity");

        Path noUsers = dir.resolve("no-users.json");
        Files.writeString(noUsers, CsvWorkflowTest.schemaFromDocs().replaceAll("\"userColumn\": \"user\",\\s*", "")
                .replaceAll("\"items\": \\{[^}]*},\\s*", ""));
        assertFails(run("compare", "--data", log.toString(), "--schema", noUsers.toString(), "--models", "fm", "--seeds", "1",
                "--epochs", "1", "--out", dir.resolve("cmp-none").toString()), 2, "--schema", "no user and item columns");
    }

    /** --tuned trains the recipe a tune run saved (configuration, rate, schedule, L2) as its own row, first. */
    @Test
    void tunedTrainsTheRecipeATuneRunFoundAsItsOwnRow() throws Exception {
        Path tuneOut = dir.resolve("tune");
        AutoIntCliTest.Run t = run(with(new String[] {"tune", "--trials", "2", "--epochs", "1", "--batch", "256", "--parallel",
            "1", "--params", "lr,embedding,schedule", "--startup", "2", "--seed", "5", "--out", tuneOut.toString()}, TINY));
        assertThat(t.code()).as(t.err()).isZero();
        Path cmp = dir.resolve("cmp-tuned");
        AutoIntCliTest.Run r = run(with(new String[] {"compare", "--tuned", tuneOut.toString(), "--models", "lr", "--seeds", "1,2",
            "--epochs", "1", "--threads", "1", "--out", cmp.toString()}, TINY));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("tuned: the recipe of " + tuneOut.resolve("best"));
        List<String[]> rows = table(Files.readString(cmp.resolve("compare.md")));
        assertThat(rows.subList(2, rows.size())).extracting(x -> x[0]).containsExactly("tuned", "lr");

        ModelBundle best = ModelBundle.load(tuneOut.resolve("best"));
        java.util.Map<?, ?> saved = (java.util.Map<?, ?>) best.manifest().provenance().get("recipe");
        JsonNode used = new ObjectMapper().readTree(cmp.resolve("compare.json").toFile()).get("recipes").get("tuned");
        assertThat((float) used.get("lr").asDouble()).isEqualTo(((Number) saved.get("lr")).floatValue());
        assertThat(used.get("schedule").asText()).isEqualTo(saved.get("schedule"));
        assertThat((float) used.get("l2Embedding").asDouble()).isEqualTo(((Number) saved.get("l2Embedding")).floatValue());
        assertThat(used.get("config").toString()).isEqualTo(MetricsReport.configTree(best.model().config().withSeed(1)).toString());

        assertFails(run("compare", "--tuned", dir.toString(), "--models", "lr"), 2, "--tuned", "neither a tune output");
    }
}
