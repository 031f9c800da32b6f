package dev.autoint.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.eval.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --out DIR} over an existing bundle, killed with SIGKILL at many points while it saves: the
 * next load always finds exactly the old bundle or exactly a complete new one, and nothing temporary is left
 * beside it. The kill points are chosen by watching DIR's parent: the lock file appearing, the staging
 * directory appearing, the staging directory holding 1, 2, 4, 6, 8, 10 files, the complete new directory
 * appearing, the old bundle moved aside.
 */
class BundleCrashTest {

    @TempDir
    Path root;

    /** Kill points: a name prefix to wait for, and how many files the staging directory must hold. */
    record KillPoint(String what, String prefix, int files) {
    }

    static final List<KillPoint> POINTS = List.of(
            new KillPoint("lock taken", ".b.lock", 0),
            new KillPoint("staging created", ".b.tmp-", 0),
            new KillPoint("1 file staged", ".b.tmp-", 1),
            new KillPoint("2 files staged", ".b.tmp-", 2),
            new KillPoint("4 files staged", ".b.tmp-", 4),
            new KillPoint("6 files staged", ".b.tmp-", 6),
            new KillPoint("8 files staged", ".b.tmp-", 8),
            new KillPoint("10 files staged", ".b.tmp-", 10),
            new KillPoint("new directory complete", ".b.new-", 0),
            new KillPoint("old bundle moved aside", ".b.old-", 0));

    @Test
    void aKilledSaveLeavesTheOldBundleOrTheNewOneAndNothingElse() throws Exception {
        Assumptions.assumeFalse("scalar".equals(System.getProperty("autoint.kernels")),
                "file handling does not depend on the kernels: run once, in the vector run");
        Path dir = root.resolve("b");
        assertThat(train(dir, 1).waitFor()).isZero();
        Map<String, String> current = new TreeMap<>(ModelBundle.load(dir).files());
        int killedWhileSaving = 0, completed = 0;
        List<String> log = new ArrayList<>();
        for (int i = 0; i < POINTS.size(); i++) {
            KillPoint kp = POINTS.get(i);
            Process p = train(dir, 100 + i);
            boolean hit = false;
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (p.isAlive() && System.nanoTime() < deadline) {
                if (reached(root, kp)) {
                    p.destroyForcibly(); // SIGKILL on Linux
                    hit = true;
                    break;
                }
            }
            p.waitFor();
            if (hit) killedWhileSaving++;
            else completed++;

            ModelBundle loaded = ModelBundle.load(dir); // resolves leftovers, verifies every file
            Map<String, String> now = new TreeMap<>(loaded.files());
            boolean old = now.equals(current);
            long seed = loaded.model().config().seed();
            assertThat(old || seed == 100 + i).as("iteration %d (%s): old bundle or the new one", i, kp.what()).isTrue();
            if (!old) assertThat(now.keySet()).isEqualTo(current.keySet()); // complete: every file of a bundle
            try (Stream<Path> s = Files.list(root)) {
                assertThat(s.map(f -> f.getFileName().toString()).toList()).as("nothing left beside the bundle").containsExactly("b");
            }
            log.add(kp.what() + ": " + (hit ? "killed" : "finished") + ", " + (old ? "old" : "new") + " bundle");
            current = now;
        }
        System.out.println("BundleCrashTest: " + String.join("; ", log));
        assertThat(killedWhileSaving).as("kills that landed while saving: " + log).isGreaterThanOrEqualTo(POINTS.size() / 2);
        assertThat(killedWhileSaving + completed).isEqualTo(POINTS.size());
    }

    private static boolean reached(Path parent, KillPoint kp) throws Exception {
        try (Stream<Path> s = Files.list(parent)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                if (!f.getFileName().toString().startsWith(kp.prefix())) continue;
                if (kp.files() == 0) return true;
                try (Stream<Path> inside = Files.list(f)) {
                    if (inside.count() >= kp.files()) return true;
                } catch (java.nio.file.NoSuchFileException gone) {
                    return false;
                }
            }
        } catch (java.nio.file.NoSuchFileException ignored) {
            return false;
        }
        return false;
    }

    private static Process train(Path out, long seed) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp, "-Dautoint.kernels=scalar", "-Xss4m",
                "dev.autoint.examples.cli.AutoIntCli", "train", "--out", out.toString(), "--seed", Long.toString(seed),
                "--epochs", "1", "--batch", "512", "--quiet", "--threads", "1"));
        cmd.addAll(List.of(AutoIntCliTest.TINY));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

}
