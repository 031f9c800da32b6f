package dev.autoint.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.eval.stats.ComparisonReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs every example program's {@code main} on tiny synthetic data (sizes passed as its optional
 * arguments) and checks what it prints: the numbers a student is told to look at must be there and sane.
 */
@Timeout(120)
class ExamplesTest {

    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    /** Runs a main with System.out captured (and echoed afterwards, for the build log). */
    private static String run(Main main, String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            main.run(args);
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }

    /** The first match of {@code regex} (one line at a time), which must exist. */
    private static MatchResult find(String out, String regex) {
        List<MatchResult> all = findAll(out, regex);
        assertThat(all).as("output should contain /%s/ but was:%n%s", regex, out).isNotEmpty();
        return all.get(0);
    }

    private static List<MatchResult> findAll(String out, String regex) {
        return Pattern.compile(regex, Pattern.MULTILINE).matcher(out).results().toList();
    }

    private static double number(MatchResult m, int group) {
        return Double.parseDouble(m.group(group));
    }

    @Test
    void quickstartPrintsATestAucAboveChanceAndProbabilities() throws Exception {
        String out = run(Quickstart::main, "200", "3");

        assertThat(number(find(out, "^test AUC (\\d\\.\\d+)$"), 1)).isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
        List<MatchResult> rows = findAll(out, "liked=([01])  P\\(click\\)=(\\d\\.\\d+)$");
        assertThat(rows).hasSize(5);
        for (MatchResult r : rows) assertThat(number(r, 2)).isBetween(0.0, 1.0);
    }

    @Test
    void movieLensEndToEndEvaluatesWithTheHeldOutProtocolAndRecommendsTen() throws Exception {
        String out = run(MovieLensEndToEnd::main, "synthetic", "2", "300");

        assertThat(out).contains("global temporal: first 80% of rows");
        MatchResult best = find(out, "^best epoch (\\d+) of (\\d+), validation AUC (\\d\\.\\d+)$");
        assertThat(Integer.parseInt(best.group(1))).isBetween(1, Integer.parseInt(best.group(2)));
        MatchResult test = find(out, "^test \\((\\d+) users\\): NDCG@10 (\\S+)  Precision@10 (\\S+)  AUC (\\S+)  gAUC (\\S+)$");
        assertThat(Integer.parseInt(test.group(1))).isPositive();
        assertThat(number(test, 2)).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
        assertThat(number(test, 3)).isBetween(0.0, 1.0);
        assertThat(number(test, 4)).isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
        assertThat(number(test, 5)).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);

        find(out, "^top 10 for user \\d+:$");
        List<MatchResult> recs = findAll(out, "^\\s*(\\d+)\\. (\\d\\.\\d{3})  ");
        assertThat(recs).extracting(m -> Integer.parseInt(m.group(1))).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        double previous = 1.0;
        for (MatchResult r : recs) {
            assertThat(number(r, 2)).as("scores are sorted best first").isLessThanOrEqualTo(previous);
            previous = number(r, 2);
        }
    }

    @Test
    void customCsvDatasetReadsItsSchemaAndLearnsTheClicks() throws Exception {
        String out = run(CustomCsvDataset::main, "4000", "3");

        assertThat(out).contains("fields: [user[", "price[1]", "tags[6]");
        MatchResult auc = find(out, "^test AUC (\\d\\.\\d+) on (\\d+) rows$");
        assertThat(number(auc, 1)).isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
        assertThat(Integer.parseInt(auc.group(2))).isEqualTo(400); // the 10% test part of 4000 rows
    }

    @Test
    void compareModelsPrintsBothModelsAndASignificanceReport() throws Exception {
        String out = run(CompareModels::main, "150", "2");

        MatchResult a = find(out, "^AutoInt   NDCG@10 (\\S+)  AUC (\\S+)  \\((\\d+) test users\\)$");
        MatchResult b = find(out, "^AutoInt\\+  NDCG@10 (\\S+)  AUC (\\S+)  \\((\\d+) test users\\)$");
        assertThat(number(a, 1)).isBetween(0.0, 1.0);
        assertThat(number(b, 1)).isBetween(0.0, 1.0);
        MatchResult report = find(out, "on ndcg@10 \\(higher is better\\): mean (\\S+) vs (\\S+), .*"
                + "paired t-test p=(\\S+), Wilcoxon signed-rank p=(\\S+); n=(\\d+) users");
        assertThat(number(report, 1)).isCloseTo(number(b, 1), offset(1e-4));
        assertThat(number(report, 3)).isBetween(0.0, 1.0);
        assertThat(number(report, 4)).isBetween(0.0, 1.0);
        assertThat(report.group(5)).isEqualTo(a.group(3)); // every evaluated user is paired
        String verdict = find(out, "^verdict: (\\w+)$").group(1);
        assertThat(Arrays.stream(ComparisonReport.Verdict.values()).map(Enum::name)).contains(verdict);
    }

    @Test
    void explainPredictionListsTheStrongestFieldPairsOfTheLastLayer() throws Exception {
        String out = run(ExplainPrediction::main, "200", "3");

        MatchResult row = find(out, "^test row (\\d+), label ([01]), predicted click probability (\\d\\.\\d+)$");
        assertThat(number(row, 3)).isBetween(0.0, 1.0);
        assertThat(find(out, "^features: (.*)$").group(1)).startsWith("user_id=").doesNotContain("user_id=<<UNK>>");
        find(out, "^top field pairs in layer 3 of 3 \\(mean over 2 heads; uniform would be 0\\.071\\):$");
        List<MatchResult> pairs = findAll(out, "^  (\\w+)\\s+-> (\\w+)\\s+(\\d\\.\\d+)$");
        assertThat(pairs).hasSize(5);
        double previous = 1.0;
        for (MatchResult p : pairs) {
            assertThat(FeaturePreset.SEEDS.fieldNames()).contains(p.group(1), p.group(2));
            assertThat(p.group(1)).isNotEqualTo(p.group(2));
            assertThat(number(p, 3)).isBetween(0.0, previous);
            previous = number(p, 3);
        }
    }
}
