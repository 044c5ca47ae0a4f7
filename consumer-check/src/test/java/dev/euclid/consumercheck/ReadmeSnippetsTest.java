package dev.euclid.consumercheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every ```java block of README.md, compiled and run as a user would: against the library and its
 * run-time dependencies only (on the module path), from the repository root where the README's
 * {@code ../shared/models/...} paths resolve, with default options. A block that does not compile,
 * throws or prints nothing fails, naming its line in README.md.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of(System.getProperty("repository.root")).toAbsolutePath().normalize();
    private static final Path README = ROOT.resolve("README.md");
    private static final long RUN_SECONDS = 300;

    @TestFactory
    List<DynamicTest> everyJavaBlockCompilesAndRuns() throws IOException {
        List<ReadmeSnippet> snippets = ReadmeSnippet.extract(Files.readAllLines(README, StandardCharsets.UTF_8));
        assertFalse(snippets.isEmpty(), README + " has ```java blocks");
        String modulePath = Files.readString(Path.of(System.getProperty("runtime.classpath"))).strip();
        Path classes = Path.of(System.getProperty("snippet.classes"));
        List<DynamicTest> tests = new ArrayList<>();
        for (ReadmeSnippet s : snippets) {
            tests.add(DynamicTest.dynamicTest("README.md line " + s.line(), () -> {
                compile(s, modulePath, classes);
                run(s, modulePath, classes);
            }));
        }
        return tests;
    }

    private static void compile(ReadmeSnippet s, String modulePath, Path classes) throws IOException {
        Path dir = classes.resolve(s.className());
        Files.createDirectories(dir);
        Path source = Files.writeString(dir.resolve(s.className() + ".java"), s.source());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "--module-path", modulePath, "--add-modules", "dev.euclid",
                    "-d", dir.toString());
            boolean ok = javac.getTask(new StringWriter(), files, diagnostics, options, null,
                    files.getJavaFileObjects(source.toFile())).call();
            if (!ok) {
                fail("README.md line " + s.line() + ": the block does not compile:\n" + diagnostics.getDiagnostics().stream()
                        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(d -> "  README.md line " + s.readmeLine(d.getLineNumber()) + ": " + d.getMessage(Locale.ROOT))
                        .collect(Collectors.joining("\n")));
            }
        }
    }

    private static void run(ReadmeSnippet s, String modulePath, Path classes) throws Exception {
        Path out = classes.resolve(s.className()).resolve("stdout.txt");
        Path err = classes.resolve(s.className()).resolve("stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("javacpp.cachedir"),
                "--module-path", modulePath, "--add-modules", "dev.euclid",
                "-cp", classes.resolve(s.className()).toString(), s.className())
                .directory(ROOT.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("README.md line " + s.line() + ": the block ran over " + RUN_SECONDS + " s; its output is in " + out);
        }
        String stdout = Files.readString(out), stderr = Files.readString(err);
        assertEquals(0, p.exitValue(), "README.md line " + s.line() + ": the block failed (run from " + ROOT + "):\n" + stderr);
        assertTrue(stdout.lines().anyMatch(l -> !l.isBlank()), "README.md line " + s.line() + ": the block printed nothing");
        assertFalse(stderr.contains("Exception"), "README.md line " + s.line() + ": " + stderr);
    }
}
