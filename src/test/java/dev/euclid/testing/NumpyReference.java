package dev.euclid.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * The numpy reference forward pass ({@code src/test/python/reference_forward.py}) over a Hugging
 * Face folder, and the numpy oracle of the block-scaled weight formats. Uses the machine's python3 when it has numpy, else a venv under the test cache
 * with numpy from the local wheel store; with neither, tests fail when CI=true and are skipped
 * otherwise.
 */
public final class NumpyReference {
    private static final String SCRIPT = "src/test/python/reference_forward.py";
    private static final String MX_SCRIPT = "src/test/python/mx_quantize.py";
    private static final String WHEELS = "/opt/pypi/files";
    private static String python;

    private NumpyReference() {}

    /** The reference's logits after every token, [token][vocab]. */
    public static float[][] logits(Path modelDir, int[] tokens, int vocab) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("numpy-reference");
        try {
            Path tokensFile = Files.writeString(work.resolve("tokens.txt"),
                    Arrays.stream(tokens).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
            Path out = work.resolve("logits.f32");
            String output = run(List.of(python(), script().toString(), modelDir.toString(), tokensFile.toString(),
                    out.toString()));
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
            if (bytes.remaining() != 4L * tokens.length * vocab) {
                fail("the reference wrote " + bytes.remaining() + " bytes, expected " + tokens.length + " x " + vocab
                        + " floats; its output:\n" + output);
            }
            float[][] logits = new float[tokens.length][vocab];
            for (float[] row : logits) {
                for (int v = 0; v < vocab; v++) row[v] = bytes.getFloat();
            }
            return logits;
        } finally {
            try (var files = Files.list(work)) {
                for (Path p : files.toList()) Files.delete(p);
            }
            Files.delete(work);
        }
    }

    /**
     * rows x cols FP32 weights stored as {@code format} (nvfp4, mxfp4, mxfp8) and read back, by the
     * numpy oracle {@code src/test/python/mx_quantize.py}.
     */
    public static float[] mxRoundTrip(float[] w, int rows, int cols, String format) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("mx-oracle");
        try {
            ByteBuffer in = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : w) in.putFloat(v);
            Path src = Files.write(work.resolve("in.f32"), in.array()), out = work.resolve("out.f32");
            String output = run(List.of(python(), script(MX_SCRIPT).toString(), src.toString(), Integer.toString(rows),
                    Integer.toString(cols), format, out.toString()));
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
            if (bytes.remaining() != 4L * w.length) fail("the oracle wrote " + bytes.remaining() + " bytes; its output:\n" + output);
            float[] back = new float[w.length];
            for (int i = 0; i < back.length; i++) back[i] = bytes.getFloat();
            return back;
        } finally {
            try (var files = Files.list(work)) {
                for (Path p : files.toList()) Files.delete(p);
            }
            Files.delete(work);
        }
    }

    private static Path script() {
        return script(SCRIPT);
    }

    /** A file of the repository (e.g. "src/test/python/x.py"), found from the working directory up. */
    public static Path script(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) return dir.resolve(relative);
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    /** A python with numpy: the machine's, else a venv with numpy from the wheel store. */
    private static synchronized String python() throws IOException, InterruptedException {
        if (python == null) python = pythonWith("numpy", "numpy-venv", List.of("numpy"));
        return python;
    }

    /**
     * A python that can {@code import modules} (comma-separated): the machine's python3, else a
     * venv under the test cache with {@code packages} from the local wheel store; with neither,
     * fails when CI=true and aborts the test otherwise.
     */
    public static String pythonWith(String modules, String venvName, List<String> packages)
            throws IOException, InterruptedException {
        if (canImport("python3", modules)) return "python3";
        Path venv = Path.of(System.getProperty("euclid.cache", "target/test-cache")).resolve(venvName);
        String venvPython = venv.resolve("bin/python").toString();
        if (!canImport(venvPython, modules) && Files.isDirectory(Path.of(WHEELS))) {
            tryRun(List.of("python3", "-m", "venv", venv.toString()));
            List<String> install = new java.util.ArrayList<>(List.of(venvPython, "-m", "pip", "install", "--no-index",
                    "--find-links", WHEELS));
            install.addAll(packages);
            tryRun(install);
        }
        if (canImport(venvPython, modules)) return venvPython;
        String why = "the reference needs python3 with " + modules + " (not on PATH, and not installable from " + WHEELS + ")";
        if ("true".equals(System.getenv("CI"))) fail(why);
        Assumptions.abort(why);
        return null;
    }

    private static boolean canImport(String exe, String modules) throws InterruptedException {
        return tryRun(List.of(exe, "-c", "import " + modules)) == 0;
    }

    private static int tryRun(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Runs a command to completion and returns its output; a failure or a 5-minute timeout fails the test. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        if (p.exitValue() != 0) fail("failed (exit " + p.exitValue() + "): " + command + "\n" + output);
        return output;
    }
}
