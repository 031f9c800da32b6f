package dev.autoint.examples.cli;

import static dev.autoint.examples.cli.AutoIntCliTest.TINY;
import static dev.autoint.examples.cli.AutoIntCliTest.run;
import static dev.autoint.examples.cli.AutoIntCliTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input found by trying the tool: each case gives a one-line message naming the option, file or field
 * at fault and a documented exit code (2 bad arguments or data, 3 missing input, 4 damaged bundle,
 * 5 diverged), never a stack trace, and options are checked before any data is read.
 */
class BadInputCliTest {

    @TempDir
    static Path dir;
    static Path bundle;

    @BeforeAll
    static void train() {
        bundle = dir.resolve("b");
        AutoIntCliTest.Run r = run(with(new String[] {"train", "--out", bundle.toString(), "--epochs", "1", "--batch", "512", "--quiet"}, TINY));
        assertThat(r.code()).as(r.err()).isZero();
    }

    static void assertFails(AutoIntCliTest.Run r, int code, String... mentions) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err()).as("one line, no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().strip().lines().filter(l -> l.startsWith("autoint:")).count()).isEqualTo(1);
        for (String m : mentions) assertThat(r.err()).contains(m);
    }

    @Test
    void optionValuesAreCheckedBeforeDataIsRead() {
        // --data does not exist, but the bad option is reported first
        assertFails(run("train", "--data", dir.resolve("nowhere").toString(), "--threads", "0", "--out", dir.resolve("x").toString()),
                2, "--threads");
        assertFails(run("train", "--data", dir.resolve("nowhere").toString(), "--lr", "-1", "--out", dir.resolve("x").toString()),
                2, "--lr");
        assertFails(run("train", "--data", dir.resolve("nowhere").toString(), "--monitor", "f1", "--out", dir.resolve("x").toString()),
                2, "--monitor");
        assertFails(run("train", "--data", dir.resolve("nowhere").toString(), "--delimiter", "::", "--out", dir.resolve("x").toString()),
                2, "--delimiter");
        assertFails(run(with(new String[] {"train", "--preset", "nope", "--out", dir.resolve("x").toString()}, TINY)), 2, "--preset");
    }

    @Test
    void trainRefusesAnOutputThatIsAFileOrAForeignDirectoryBeforeTraining() throws Exception {
        Path file = dir.resolve("existing.txt");
        Files.writeString(file, "keep me");
        long t0 = System.nanoTime();
        assertFails(run(with(new String[] {"train", "--out", file.toString()}, TINY)), 2, "--out", "existing file");
        assertThat((System.nanoTime() - t0) / 1e9).as("fails before training").isLessThan(5);
        assertThat(Files.readString(file)).isEqualTo("keep me");
        Path foreign = dir.resolve("photos");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("cat.jpg"), "x");
        assertFails(run(with(new String[] {"train", "--out", foreign.toString()}, TINY)), 2, "not a bundle");
        assertThat(foreign.resolve("cat.jpg")).exists();
    }

    @Test
    void recommendOptionsOutOfRange() {
        assertFails(run("recommend", bundle.toString(), "--user", "7", "--top", "-1"), 2, "--top");
        assertFails(run("recommend", bundle.toString(), "--user", "7", "--history", "-3"), 2, "--history");
        assertFails(run("recommend", bundle.toString(), "--user", "7", "--year", "1000000000"), 2, "--year");
        assertFails(run("recommend", bundle.toString(), "--user", "7", "--month", "13"), 2, "--month");
        assertFails(run("recommend", bundle.toString(), "--user", "999999"), 2, "--user 999999");
        assertFails(run("recommend-all", bundle.toString(), "--threads", "0", "--out", dir.resolve("r.csv").toString()), 2, "--threads");
    }

    @Test
    void aContextAfterTheTrainingPeriodIsClippedWithAWarning() {
        AutoIntCliTest.Run r = run("recommend", bundle.toString(), "--user", "7", "--top", "3", "--year", "2026", "--month", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: context 2026-01 is after the training period");
        AutoIntCliTest.Run last = run("recommend", bundle.toString(), "--user", "7", "--top", "3");
        // clipped to the last training month: the same list as asking for that month
        assertThat(list(r.out())).isEqualTo(list(last.out()));
    }

    /** The recommendation lines, without the timing. */
    static String list(String out) {
        return out.substring(out.indexOf("top 3")).replaceAll("[0-9.]+ ms\\)", "ms)");
    }

    @Test
    void missingAndDamagedBundles() throws Exception {
        assertFails(run("recommend", dir.resolve("nowhere").toString(), "--user", "1"), 3, "no such bundle");
        Path file = dir.resolve("model.json");
        Files.writeString(file, "{}");
        assertFails(run("evaluate", file.toString()), 2, "is a file");
        Path notBundle = dir.resolve("empty");
        Files.createDirectories(notBundle);
        assertFails(run("evaluate", notBundle.toString()), 4, "not a model bundle");
    }

    @Test
    void schemaProblems() throws Exception {
        Path csv = dir.resolve("c.csv");
        Files.writeString(csv, "a,label\nx,1\ny,0\n");
        assertFails(run("train", "--data", csv.toString(), "--schema", dir.resolve("none.json").toString(), "--out",
                dir.resolve("y").toString()), 3, "--schema");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"fields\": [{\"name\": \"a\", \"kind\": \"CATEGORICAL\", \"columns\": [\"a\"]}]}");
        assertFails(run("train", "--data", csv.toString(), "--schema", bad.toString(), "--out", dir.resolve("y").toString()),
                2, "labelColumn");
        assertFails(run("train", "--data", csv.toString(), "--out", dir.resolve("y").toString()), 2, "--schema", "docs/DATA.md");
        // a partial label rule used to drop every negative row silently; now it is rejected, naming the missing key
        Path partial = dir.resolve("partial.json");
        Files.writeString(partial, "{\"fields\": [{\"name\": \"a\", \"kind\": \"CATEGORICAL\", \"columns\": [\"a\"]}],"
                + "\"labelColumn\": \"label\", \"labelRule\": {\"positiveAtLeast\": 1}}");
        assertFails(run("train", "--data", csv.toString(), "--schema", partial.toString(), "--out", dir.resolve("y").toString()),
                2, "negativeBelow");
        assertFails(run("train", "--data", csv.toString(), "--test", csv.toString(), "--out", dir.resolve("y").toString()), 2, "--schema");
    }

    @Test
    void aLabelRuleThatLeavesOneClassIsAnErrorNamingTheDrops() throws Exception {
        Path csv = dir.resolve("one.csv");
        StringBuilder sb = new StringBuilder("a,label\n");
        for (int i = 0; i < 50; i++) sb.append("v").append(i % 5).append(',').append(i % 2).append('\n');
        Files.writeString(csv, sb);
        Path schema = dir.resolve("one.json");
        Files.writeString(schema, "{\"fields\": [{\"name\": \"a\", \"kind\": \"CATEGORICAL\", \"columns\": [\"a\"]}],"
                + "\"labelColumn\": \"label\", \"labelRule\": {\"positiveAtLeast\": 1, \"negativeBelow\": 0}}");
        assertFails(run("train", "--data", csv.toString(), "--schema", schema.toString(), "--out", dir.resolve("one-out").toString()),
                2, "every training row is positive", "dropped by");
    }

    @Test
    void divergenceFromTheStartExitsFiveAndSavesNothing() {
        Path out = dir.resolve("diverged");
        AutoIntCliTest.Run r = run(with(new String[] {"train", "--out", out.toString(), "--optimizer", "sgd", "--lr", "1e4",
            "--epochs", "2", "--batch", "256", "--quiet"}, TINY));
        assertFails(r, 5, "diverged", "--lr");
        assertThat(out).doesNotExist();
    }

    @Test
    void divergenceAfterAGoodEpochKeepsTheBestEpoch() throws Exception {
        // one step per epoch (the batch holds every row): plain SGD with a large rate is fine for a step, then explodes
        Path out = dir.resolve("diverged-late");
        AutoIntCliTest.Run r = run(with(new String[] {"train", "--out", out.toString(), "--optimizer", "sgd", "--lr", "30",
            "--epochs", "20", "--batch", "100000", "--patience", "0", "--quiet"}, TINY));
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(5);
        assertThat(r.err()).contains("diverged").contains("saving the best epoch so far");
        dev.autoint.eval.bundle.ModelBundle b = dev.autoint.eval.bundle.ModelBundle.load(out);
        assertThat(b.manifest().provenance().get("note").toString()).contains("diverged");
        for (float v : b.model().parameters().toArray()) assertThat(Float.isFinite(v)).isTrue();
    }
}
