package dev.autoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer comparison end to end: the library saves the peer model, {@code tools/export_onnx.py} exports the
 * PyTorch twin with its weights and PyTorch's reference probabilities, and ONNX Runtime, PyTorch and the library
 * must agree within {@link OnnxPeer#TOLERANCE} on every reference row. Surefire runs it on the vector and on the
 * scalar kernels.
 *
 * <p>Needs Debian's PyTorch ({@code apt-get install python3-torch}; {@code .ci/run} installs it). Without it the
 * test is skipped with that message, unless {@code autoint.requireData=true} (the {@code ci} profile, under
 * {@code CI=true}), where it fails. The interpreter is {@code /usr/bin/python3}, or {@code -Dautoint.python=...}.
 */
class OnnxPeerTest {

    static final String PYTHON = System.getProperty("autoint.python", "/usr/bin/python3");

    static Path exportScript;
    /** Why PyTorch cannot be used, or null when it can (probed once for the class). */
    static String missingPyTorch;

    @BeforeAll
    static void probePyTorch() throws IOException, InterruptedException {
        exportScript = findExportScript();
        Run probe = run(List.of(PYTHON, "-c", "import torch; print(torch.__version__)"), 120);
        missingPyTorch = probe.status == 0 ? null : "the ONNX peer test needs PyTorch in " + PYTHON
                + " (apt-get install python3-torch): " + lastLine(probe.output);
    }

    /** Each test is reported as skipped, with the reason, rather than the class vanishing from the counts. */
    @BeforeEach
    void requirePyTorch() {
        if (missingPyTorch == null) return;
        if (Boolean.parseBoolean(System.getProperty("autoint.requireData", "false"))) {
            Assertions.fail(missingPyTorch + "; failing because autoint.requireData=true");
        }
        System.out.println("OnnxPeerTest: skipped: " + missingPyTorch);
        Assumptions.abort(missingPyTorch + "; skipping (set -Dautoint.requireData=true to fail instead)");
    }

    @Test
    void onnxRuntimePyTorchAndTheLibraryGiveTheSameProbabilities(@TempDir Path dir) throws Exception {
        export(dir);

        OnnxPeer.Agreement a = OnnxPeer.check(dir);
        System.out.println("OnnxPeerTest: " + a);
        assertThat(a.rows()).isEqualTo(512);
        assertThat(a.ortVsLibrary()).isLessThanOrEqualTo(OnnxPeer.TOLERANCE);
        assertThat(a.ortVsTorch()).isLessThanOrEqualTo(OnnxPeer.TOLERANCE);
        assertThat(a.libraryVsTorch()).isLessThanOrEqualTo(OnnxPeer.TOLERANCE);
        // The rows reach both ends of the sigmoid, so agreement is not that of near-constant outputs.
        assertThat(a.minProbability()).isLessThan(0.05);
        assertThat(a.maxProbability()).isGreaterThan(0.95);
    }

    /** The comparison can fail: one weight of the library's copy moved by 0.01 puts it out of tolerance. */
    @Test
    void aLibraryModelWithOtherWeightsIsCaught(@TempDir Path dir) throws Exception {
        export(dir);
        Path modelDir = dir.resolve(OnnxPeer.MODEL);
        AutoIntModel model = ModelFiles.load(modelDir).model();
        float[] bias = model.parameters().get("output.bias");
        bias[0] += 0.01f;
        model.parameters().set("output.bias", bias);
        ModelFiles.save(model, modelDir);

        OnnxPeer.Agreement a = OnnxPeer.check(dir);
        assertThat(a.ortVsTorch()).isLessThanOrEqualTo(OnnxPeer.TOLERANCE);
        assertThat(a.ortVsLibrary()).isGreaterThan(100 * OnnxPeer.TOLERANCE);
        assertThat(a.libraryVsTorch()).isGreaterThan(100 * OnnxPeer.TOLERANCE);
    }

    private static void export(Path dir) throws IOException, InterruptedException {
        Path modelDir = OnnxPeer.save(dir);
        Run export = run(List.of(PYTHON, exportScript.toString(), modelDir.toString(), dir.toString()), 300);
        assertThat(export.status).as("tools/export_onnx.py failed:%n%s", export.output).isZero();
        assertThat(dir.resolve(OnnxPeer.ONNX)).isRegularFile();
        assertThat(dir.resolve(OnnxPeer.REFERENCE)).isRegularFile();
    }

    /** The last non-blank line (a Python traceback's last line names the error). */
    private static String lastLine(String output) {
        String[] lines = output.strip().split("\\R");
        return lines[lines.length - 1];
    }

    /** tools/export_onnx.py in the nearest ancestor of the working directory that has it. */
    private static Path findExportScript() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path script = p.resolve("tools/export_onnx.py");
            if (Files.isRegularFile(script)) return script;
        }
        throw new IllegalStateException("tools/export_onnx.py not found above " + Path.of("").toAbsolutePath());
    }

    private record Run(int status, String output) {
    }

    /** Runs a command with stdout and stderr merged; status -1 when it cannot start or outlives the timeout. */
    private static Run run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("onnx-peer-test", ".log");
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                return new Run(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
            }
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return new Run(-1, String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
