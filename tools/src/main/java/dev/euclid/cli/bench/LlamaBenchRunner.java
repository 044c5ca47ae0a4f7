package dev.euclid.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The llama.cpp side of {@code bench --compare --llama-bench PATH}: a native {@code llama-bench}
 * binary, built for this CPU, measures one GGUF file ({@code -p PROMPT -n GEN -r RUNS -o jsonl}, after
 * its own warm-up). de.kherud's Maven artifact is an AVX2 build that runs about half as fast on
 * AVX-512 machines, so ratios against it overstate Euclid's lead; this is the peer a user would run.
 *
 * <p>llama-bench prints one JSON line per test: the prompt test ({@code n_prompt} = P, {@code n_gen}
 * = 0) and the generation test (0, G), each with every repetition's tokens/s in {@code samples_ts}.
 * Its generation test starts from an empty context, where Euclid's decode follows the prompt: its
 * decode steps attend over up to P fewer positions.
 */
final class LlamaBenchRunner {
    private static final long TIMEOUT_MINUTES = 60;
    static final String SOURCE = "llama-bench's own samples (native build)";

    private LlamaBenchRunner() {}

    /**
     * Runs {@code binary} on {@code gguf}.
     *
     * @param progress told {@code runs + 1} (warm-up and runs) once llama-bench has finished
     */
    static LlamaCppRunner.Result measure(Path binary, Path gguf, int threads, int promptTokens, int genTokens, int runs,
            IntConsumer progress) {
        List<String> command = List.of(binary.toString(), "-m", gguf.toString(), "-t", Integer.toString(threads),
                "-p", Integer.toString(promptTokens), "-n", Integer.toString(genTokens), "-r", Integer.toString(runs),
                "-o", "jsonl");
        List<String> lines = new ArrayList<>();
        ChildProcess.Ended ended = ChildProcess.run(command, lines::add, TIMEOUT_MINUTES);
        if (ended.exitCode() != 0) {
            throw new IllegalStateException("llama-bench on " + gguf.getFileName() + " failed (exit " + ended.exitCode() + "): "
                    + ended.tail());
        }
        progress.accept(runs + 1);
        try {
            return parse(lines, promptTokens, genTokens, runs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read llama-bench's output", e);
        }
    }

    /** The prompt and generation tests' samples from llama-bench's JSON lines (other lines are skipped). */
    static LlamaCppRunner.Result parse(List<String> lines, int promptTokens, int genTokens, int runs) throws IOException {
        ObjectMapper json = new ObjectMapper();
        double[] prefill = null, decode = null;
        String build = null;
        for (String line : lines) {
            if (!line.startsWith("{")) continue;
            JsonNode test = json.readTree(line);
            int prompt = test.path("n_prompt").asInt(-1), gen = test.path("n_gen").asInt(-1);
            if (prompt == promptTokens && gen == 0) prefill = samples(test, runs);
            else if (prompt == 0 && gen == genTokens) decode = samples(test, runs);
            else continue;
            build = test.path("build_number").asText() + " (" + test.path("build_commit").asText() + ")";
        }
        if (prefill == null || decode == null) {
            throw new IllegalStateException("llama-bench printed no " + (prefill == null ? "pp" + promptTokens : "tg" + genTokens)
                    + " result: " + String.join(" | ", lines));
        }
        return new LlamaCppRunner.Result(prefill, decode, SOURCE, build);
    }

    private static double[] samples(JsonNode test, int runs) {
        JsonNode ts = test.path("samples_ts");
        if (ts.size() != runs) throw new IllegalStateException("llama-bench gave " + ts.size() + " samples, expected " + runs + ": " + test);
        double[] out = new double[runs];
        for (int i = 0; i < runs; i++) out[i] = ts.get(i).asDouble();
        return out;
    }
}
