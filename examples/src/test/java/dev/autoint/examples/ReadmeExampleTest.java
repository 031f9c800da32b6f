package dev.autoint.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Use it from Java" example compiles as it stands. The test reads the first {@code ```java} block
 * of that section from README.md, takes its leading {@code import} lines as the imports and the rest as the body
 * of a {@code main} method, and compiles the result with javax.tools twice:
 * <ul>
 *   <li>on this module's test class path (everything examples depends on);
 *   <li>on the module path, holding only autoint-eval and the modules it needs, as code in the unnamed module:
 *       there only the packages the library exports are visible, so the example uses no internals.
 * </ul>
 * A compilation error is reported with the README's line number. Nothing about the library's API is written
 * here: the README's own imports decide what it uses. Compiling only (not running) keeps it fast and offline
 * (the example reads ml-1m).
 */
@EnabledIfSystemProperty(named = "autoint.kernels", matches = "vector",
        disabledReason = "compiling does not depend on the kernels; running once (in the vector run) is enough")
class ReadmeExampleTest {

    private static final String SECTION = "## Use it from Java";
    private static final String CLASS_NAME = "ReadmeExample";

    @Test
    void compilesOnTheClassPath(@TempDir Path dir) throws IOException {
        Source source = wrap(extract(readme()));
        String errors = compile(source, List.of("-classpath", System.getProperty("java.class.path")), dir);
        if (errors != null) fail("README.md's \"" + SECTION + "\" example does not compile on the class path:\n" + errors);
    }

    @Test
    void usesOnlyTheExportedApi(@TempDir Path dir) throws IOException {
        List<Path> modulePath = modulePathFor("dev.autoint.eval");
        // An empty class path: javax.tools would otherwise default to this JVM's, where everything is visible.
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String errors = compile(wrap(extract(readme())), List.of("--module-path", join(modulePath),
                "--add-modules", "dev.autoint.eval", "-classpath", empty.toString()), dir);
        if (errors != null) {
            fail("README.md's \"" + SECTION + "\" example does not compile against the exported packages of "
                    + "autoint-eval and the modules it requires (module path " + modulePath + "):\n" + errors);
        }
    }

    /** What a reader of a failure sees: the README's line and the compiler's message; and a missing section. */
    @Test
    void reportsErrorsAtTheReadmeLine(@TempDir Path dir) throws IOException {
        List<String> readme = List.of("# title", "", SECTION, "", "```java", "import java.util.List;", "",
                "List<String> s = List.of(\"a\");", "int n = s.size() + undefinedName;", "```");
        String errors = compile(wrap(extract(readme)), List.of(), dir);
        assertThat(errors).isNotNull().contains("README.md:9:").contains("undefinedName");

        assertThatThrownBy(() -> extract(List.of("# title", "## Other", "```java", "int a = 1;", "```")))
                .hasMessageContaining(SECTION);
    }

    /** One line of the generated class and the README line it came from (0 for the wrapper's own lines). */
    private record Line(String text, int readmeLine) {
    }

    private record Source(List<Line> lines) {
        String text() {
            StringBuilder b = new StringBuilder();
            for (Line l : lines) b.append(l.text).append('\n');
            return b.toString();
        }
    }

    private static List<String> readme() throws IOException {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path readme = d.resolve("README.md");
            if (Files.isRegularFile(readme) && Files.isDirectory(d.resolve("examples"))) {
                return Files.readAllLines(readme, StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no README.md beside the examples module above " + Path.of("").toAbsolutePath());
    }

    /** The first {@code ```java} block of the section, as lines with their README line numbers (1-based). */
    private static List<Line> extract(List<String> readme) {
        int i = readme.indexOf(SECTION);
        if (i < 0) throw new AssertionError("README.md has no section \"" + SECTION + "\"");
        for (i++; i < readme.size() && !readme.get(i).startsWith("## "); i++) {
            if (!readme.get(i).strip().equals("```java")) continue;
            List<Line> block = new ArrayList<>();
            for (int j = i + 1; j < readme.size(); j++) {
                if (readme.get(j).strip().equals("```")) return block;
                block.add(new Line(readme.get(j), j + 1));
            }
            throw new AssertionError("README.md: the ```java block at line " + (i + 1) + " is not closed");
        }
        throw new AssertionError("README.md: no ```java block in the section \"" + SECTION + "\"");
    }

    /** The block's leading imports, then a class whose main method holds the rest of the block. */
    private static Source wrap(List<Line> block) {
        List<Line> out = new ArrayList<>();
        int k = 0;
        while (k < block.size() && (block.get(k).text.isBlank() || block.get(k).text.startsWith("import "))) {
            out.add(block.get(k++));
        }
        out.add(new Line("public final class " + CLASS_NAME + " {", 0));
        out.add(new Line("    public static void main(String[] args) throws Exception {", 0));
        out.addAll(block.subList(k, block.size()));
        out.add(new Line("    }", 0));
        out.add(new Line("}", 0));
        return new Source(out);
    }

    /** Compiles the source; null on success, else each error as {@code README.md:LINE: message}. */
    private static String compile(Source source, List<String> pathOptions, Path dir) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK, not a JRE, runs the tests").isNotNull();
        Path file = dir.resolve("src").resolve(CLASS_NAME + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source.text(), StandardCharsets.UTF_8);
        Path out = Files.createDirectories(dir.resolve("classes"));
        List<String> options = new ArrayList<>(List.of("--release", "17", "-proc:none", "-d", out.toString()));
        options.addAll(pathOptions);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            if (javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjects(file)).call()) return null;
        }
        StringBuilder b = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) continue;
            int generated = (int) d.getLineNumber();
            int line = generated >= 1 && generated <= source.lines.size() ? source.lines.get(generated - 1).readmeLine : 0;
            b.append("README.md:").append(line).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
            if (line > 0) b.append("    ").append(source.lines.get(generated - 1).text.strip()).append('\n');
        }
        return b.toString();
    }

    /**
     * The class-path entries that hold {@code root} and the modules it requires, transitively, found the way the
     * module system would find them on a module path (explicit descriptors, or names of automatic modules).
     * Taking only these, rather than the whole class path, keeps unrelated jars (and their automatic modules)
     * out of the compilation.
     */
    private static List<Path> modulePathFor(String root) {
        Map<String, Path> where = new LinkedHashMap<>();
        Map<String, ModuleDescriptor> descriptors = new LinkedHashMap<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (!Files.exists(p)) continue;
            try {
                for (ModuleReference ref : ModuleFinder.of(p).findAll()) {
                    String name = ref.descriptor().name();
                    if (where.putIfAbsent(name, p) == null) descriptors.put(name, ref.descriptor());
                }
            } catch (FindException notAModule) {
                // a jar whose file name gives no valid module name: not on any module path
            }
        }
        Set<Path> path = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(root));
        Set<String> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name) || ModuleFinder.ofSystem().find(name).isPresent()) continue;
            ModuleDescriptor d = descriptors.get(name);
            assertThat(d).as("module %s (needed by %s) on the test class path", name, root).isNotNull();
            path.add(where.get(name));
            for (ModuleDescriptor.Requires r : d.requires()) {
                if (!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) todo.push(r.name());
            }
        }
        return new ArrayList<>(path);
    }

    private static String join(List<Path> paths) {
        List<String> s = new ArrayList<>();
        for (Path p : paths) s.add(p.toString());
        return String.join(File.pathSeparator, s);
    }
}
