package dev.euclid.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * llama.cpp's own {@code llama-quantize} (the peer build in {@code <shared>/peers/llama.cpp/bin}),
 * so tests open GGUF files exactly as users get them (Q4_K_M, Q4_0, ...).
 *
 * <p>That build loads its CPU backend as a plugin ({@code GGML_BACKEND_DL}), and llama-quantize
 * never asks for it: it crashes in {@code llama_model_loader::init_mappings} looking up the CPU
 * device. A two-line preload library built here with the C compiler calls ggml's
 * {@code ggml_backend_load_all()} first. Without the peer or a compiler, tests fail when CI=true
 * and are skipped otherwise.
 */
public final class LlamaQuantize {
    private static Path preload;

    private LlamaQuantize() {}

    /**
     * Quantises a F16/F32 GGUF to {@code type} ("Q4_0", "Q4_K_M", ...) with one thread; {@code pure}
     * stores every matrix in that type (llama.cpp's default keeps output.weight at Q6_K and, for the
     * _M mixes, some attn_v and ffn_down at Q6_K).
     */
    public static void quantize(Path in, Path out, String type, boolean pure) throws IOException, InterruptedException {
        Path bin = bin();
        List<String> command = new java.util.ArrayList<>(List.of(bin.resolve("llama-quantize").toString()));
        if (pure) command.add("--pure");
        command.addAll(List.of(in.toString(), out.toString(), type, "1"));
        run(command, bin, preload(bin));
    }

    private static Path bin() {
        Path bin = SharedModels.models().getParent().resolve("peers/llama.cpp/bin");
        if (!Files.isExecutable(bin.resolve("llama-quantize"))) unavailable("no llama-quantize in " + bin);
        return bin;
    }

    private static synchronized Path preload(Path bin) throws IOException, InterruptedException {
        if (preload != null) return preload;
        Path dir = Files.createDirectories(Path.of(System.getProperty("euclid.cache", "target/test-cache"), "llama-preload"));
        Path source = Files.writeString(dir.resolve("load_backends.c"), """
                void ggml_backend_load_all(void);
                __attribute__((constructor)) static void load_backends(void) { ggml_backend_load_all(); }
                """);
        Path lib = dir.resolve("load_backends.so");
        try {
            run(List.of("cc", "-shared", "-fPIC", "-o", lib.toString(), source.toString(), "-L" + bin, "-lggml"), bin, null);
        } catch (IOException e) {
            unavailable("no C compiler (cc) to build the llama-quantize preload library: " + e.getMessage());
        }
        return preload = lib.toAbsolutePath();
    }

    private static void run(List<String> command, Path bin, Path preload) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", bin.toString());
        if (preload != null) pb.environment().put("LD_PRELOAD", preload.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        if (p.exitValue() != 0) fail("failed (exit " + p.exitValue() + "): " + command + "\n" + output);
    }

    private static void unavailable(String why) {
        if ("true".equals(System.getenv("CI"))) fail(why);
        Assumptions.abort(why);
    }
}
