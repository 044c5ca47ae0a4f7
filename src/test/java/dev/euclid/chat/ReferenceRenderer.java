package dev.euclid.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face's own rendering, the oracle of the chat template tests: transformers'
 * {@code apply_chat_template(..., tokenize=False)} from a virtual environment installed in
 * target/test-venv from the machine's local wheel store. Without the wheel store, CI fails;
 * elsewhere the system python3's Jinja2 with transformers' settings is the fallback, and
 * without that the test is skipped.
 */
public final class ReferenceRenderer {
    private static final Path VENV = Path.of("target", "test-venv").toAbsolutePath();
    private static final Path WHEELS = Path.of("/opt/pypi/files");
    private static ReferenceRenderer instance;

    private final String python;
    private final Path script;
    private String reference;

    private ReferenceRenderer(String python, Path script) {
        this.python = python;
        this.script = script;
    }

    public static synchronized ReferenceRenderer get() {
        if (instance == null) {
            try {
                instance = new ReferenceRenderer(python(), script());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** Which reference rendered the last batch (e.g. "transformers 5.17.0"). */
    public String reference() {
        return reference;
    }

    /**
     * Renders a batch of cases (see reference_render.py for their shape).
     *
     * @return per case, {"text": ...} or {"error": ..., "type": ...}
     */
    public List<Map<String, Object>> render(List<Map<String, Object>> cases) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "test-cache", "chat").toAbsolutePath());
            Path request = Files.createTempFile(dir, "request", ".json");
            Path response = Files.createTempFile(dir, "response", ".json");
            try {
                Json.write(request, Map.of("cases", cases));
                ExternalTools.run(List.of(python, script.toString(), request.toString(), response.toString()), dir, 900);
                Map<String, Object> out = Json.read(response);
                reference = (String) out.get("reference");
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> results = (List<Map<String, Object>>) out.get("results");
                if (results.size() != cases.size()) {
                    throw new IllegalStateException("the reference answered " + results.size() + " of " + cases.size()
                            + " cases");
                }
                return results;
            } finally {
                Files.deleteIfExists(request);
                Files.deleteIfExists(response);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reference script as a file: the resource may sit inside a jar (the tools module's tests). */
    private static Path script() throws IOException {
        try (InputStream in = ReferenceRenderer.class.getResourceAsStream("/chat/reference_render.py")) {
            if (in == null) throw new IllegalStateException("test resource /chat/reference_render.py is missing");
            Path file = Files.createTempFile("reference_render", ".py");
            file.toFile().deleteOnExit();
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    /** The interpreter to run the reference with, installing transformers first if needed. */
    private static String python() {
        if (!Files.isDirectory(WHEELS)) {
            String message = "the local wheel store " + WHEELS + " is missing: transformers, the reference for chat"
                    + " templates, cannot be installed";
            if (ExternalTools.onCi()) return ExternalTools.unavailable(message);
            if (ExternalTools.available("python3", "-c", "import jinja2")) {
                System.err.println(message + "; using python3's Jinja2 with transformers' settings instead");
                return "python3";
            }
            return ExternalTools.unavailable(message + ", and python3 has no jinja2 either");
        }
        String venvPython = VENV.resolve("bin").resolve("python").toString();
        try {
            Files.createDirectories(VENV.getParent());
            try (FileChannel lockFile = FileChannel.open(VENV.resolveSibling("test-venv.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                if (!ExternalTools.available(venvPython, "-c", "import transformers, jinja2, tokenizers")) {
                    if (!ExternalTools.available("python3", "-m", "venv", "--help")) {
                        return ExternalTools.unavailable("python3 with venv is needed for the chat template reference");
                    }
                    if (!Files.exists(Path.of(venvPython))) {
                        ExternalTools.run(List.of("python3", "-m", "venv", VENV.toString()), VENV.getParent(), 300);
                    }
                    ExternalTools.run(List.of(venvPython, "-m", "pip", "install", "--quiet", "--no-index", "--find-links",
                            WHEELS.toString(), "transformers", "jinja2", "tokenizers"), VENV.getParent(), 900);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + VENV, e);
        }
        return venvPython;
    }
}
