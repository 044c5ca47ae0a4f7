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

    private static Path script(String script) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(script))) return dir.resolve(script);
        }
        throw new IllegalStateException(script + " not found above " + Path.of("").toAbsolutePath());
    }

    /** A python with numpy: the machine's, else a venv with numpy from the wheel store. */
    private static synchronized String python() throws IOException, InterruptedException {
        if (python != null) return python;
        if (hasNumpy("python3")) return python = "python3";
        Path venv = Path.of(System.getProperty("euclid.cache", "target/test-cache")).resolve("numpy-venv");
        String venvPython = venv.resolve("bin/python").toString();
        if (!hasNumpy(venvPython) && Files.isDirectory(Path.of(WHEELS))) {
            tryRun(List.of("python3", "-m", "venv", venv.toString()));
            tryRun(List.of(venvPython, "-m", "pip", "install", "--no-index", "--find-links", WHEELS, "numpy"));
        }
        if (hasNumpy(venvPython)) return python = venvPython;
        String why = "the numpy reference needs python3 with numpy (none on PATH, and none installable from " + WHEELS + ")";
        if ("true".equals(System.getenv("CI"))) fail(why);
        Assumptions.abort(why);
        return null;
    }

    private static boolean hasNumpy(String exe) throws InterruptedException {
        return tryRun(List.of(exe, "-c", "import numpy")) == 0;
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

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the numpy reference timed out: " + command);
        }
        if (p.exitValue() != 0) fail("the numpy reference failed (exit " + p.exitValue() + "): " + command + "\n" + output);
        return output;
    }
}
