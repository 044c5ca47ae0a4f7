package dev.euclid.synthetic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * llama.cpp's own {@code llama-quantize} from a native build folder, so tests and benchmarks open
 * GGUF files exactly as users get them (Q4_K_M, Q4_0, ...).
 *
 * <p>The peer build in {@code ../shared/peers/llama.cpp/bin} loads its CPU backend as a plugin
 * ({@code GGML_BACKEND_DL}), and llama-quantize never asks for it: it crashes in {@code
 * llama_model_loader::init_mappings} looking up the CPU device. A two-line preload library, built
 * once per work folder with the C compiler ({@code cc}), calls ggml's {@code
 * ggml_backend_load_all()} first.
 */
public final class LlamaQuantize {
    private LlamaQuantize() {}

    /** Whether {@code bin} holds a llama-quantize binary. */
    public static boolean available(Path bin) {
        return Files.isExecutable(bin.resolve("llama-quantize"));
    }

    /**
     * Quantises an F16/F32 GGUF to {@code type} ("Q4_0", "Q4_K_M", ...) on {@code threads} threads;
     * {@code pure} stores every matrix in that type (llama.cpp's default keeps output.weight at Q6_K
     * and, for the _M mixes, some attn_v and ffn_down at Q6_K). {@code work} holds the preload
     * library. Throws naming the command and its output when anything fails.
     */
    public static void quantize(Path bin, Path in, Path out, String type, boolean pure, int threads, Path work)
            throws IOException {
        if (!available(bin)) throw new IOException("no llama-quantize in " + bin);
        List<String> command = new ArrayList<>(List.of(bin.resolve("llama-quantize").toString()));
        if (pure) command.add("--pure");
        command.addAll(List.of(in.toString(), out.toString(), type, Integer.toString(threads)));
        run(command, bin, preload(bin, work));
    }

    private static synchronized Path preload(Path bin, Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve("llama-preload"));
        Path lib = dir.resolve("load_backends.so");
        if (Files.isRegularFile(lib)) return lib.toAbsolutePath();
        Path source = Files.writeString(dir.resolve("load_backends.c"), """
                void ggml_backend_load_all(void);
                __attribute__((constructor)) static void load_backends(void) { ggml_backend_load_all(); }
                """);
        Path tmp = dir.resolve("load_backends.so.tmp");
        run(List.of("cc", "-shared", "-fPIC", "-o", tmp.toString(), source.toString(), "-L" + bin, "-lggml"), bin, null);
        Files.move(tmp, lib, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return lib.toAbsolutePath();
    }

    private static void run(List<String> command, Path bin, Path preload) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", bin.toString());
        if (preload != null) pb.environment().put("LD_PRELOAD", preload.toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
            if (p.exitValue() != 0) throw new IOException("failed (exit " + p.exitValue() + "): " + command + "\n" + output);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
    }
}
