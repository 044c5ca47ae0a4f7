package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The same parity as {@link RealTokenizerParityTest}, against a second oracle: the Python binding of
 * Hugging Face's tokenizers from the machine's wheel store (a newer release, 0.23.2, than the 0.21.0
 * inside DJL), installed in test setup into a venv under {@code target/}. Python prints a digest of
 * the ids of every document, with and without special tokens; Euclid's must be the same.
 */
class PythonTokenizersParityTest {
    private static final Path WHEELS = Path.of("/opt/pypi/files");
    private static final Path VENV = Path.of("target", "test-cache", "venv").toAbsolutePath();

    @Test
    void everyDocumentGivesPythonsIds() throws Exception {
        Path python = venvPython();
        Path work = Files.createDirectories(Path.of("target", "test-cache").toAbsolutePath());
        List<String> docs = ParityCorpus.documents();
        Path corpus = work.resolve("parity-corpus.json");
        new ObjectMapper().writeValue(corpus.toFile(), docs);
        Path script = work.resolve("hf_ids.py");
        try (InputStream in = getClass().getResourceAsStream("/tokenizer/hf_ids.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString(), corpus.toString()));
        for (String name : NpmTokenizers.ALL) {
            command.add(name + "=" + NpmTokenizers.tokenizerJson(name));
        }
        List<String> lines = run(command, 30).lines().toList();
        assertEquals((long) docs.size() * NpmTokenizers.ALL.size(), lines.size(), "one line per tokenizer and document");
        List<String> problems = new ArrayList<>();
        String loaded = null;
        HfTokenizer euclid = null;
        for (String line : lines) {
            String[] f = line.split(" ");
            if (!f[0].equals(loaded)) {
                euclid = HfTokenizer.load(NpmTokenizers.tokenizerJson(f[0]));
                loaded = f[0];
            }
            String doc = docs.get(Integer.parseInt(f[1]));
            if (!digest(euclid.encode(doc, false)).equals(f[2]) || !digest(euclid.encode(doc, true)).equals(f[3])) {
                problems.add(f[0] + " document " + f[1]);
            }
        }
        assertTrue(problems.isEmpty(), "ids differ from Python's tokenizers for " + problems.size() + " documents: "
                + problems.subList(0, Math.min(10, problems.size())));
    }

    /** The venv's python, made on first use; without the wheel store, skipped (failed on CI). */
    private static Path venvPython() throws IOException, InterruptedException {
        Path python = VENV.resolve("bin/python");
        if (Files.isExecutable(python)
                && new ProcessBuilder(python.toString(), "-c", "import tokenizers").start().waitFor() == 0) {
            return python;
        }
        if (!Files.isDirectory(WHEELS)) {
            String message = "no wheel store at " + WHEELS + " to install Python's tokenizers from";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        run(List.of("python3", "-m", "venv", VENV.toString()), 5);
        run(List.of(VENV.resolve("bin/pip").toString(), "install", "--quiet", "--no-index", "--find-links",
                WHEELS.toString(), "tokenizers"), 10);
        return python;
    }

    private static String run(List<String> command, int minutes) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("failed (exit " + p.exitValue() + "): " + command);
        }
        return out;
    }

    private static String digest(int[] ids) throws NoSuchAlgorithmException {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            s.append(i == 0 ? "" : ",").append(ids[i]);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.US_ASCII)));
    }
}
