package dev.euclid.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.euclid.cli.bench.BenchFiles;
import dev.euclid.cli.bench.LlamaCppProbe;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same measurements as {@link DecodeBenchmark} through llama.cpp (de.kherud:llama 4.2.0, CPU
 * build) on GGUF files of the same synthetic weights ({@code gguf} = F16 or Q8_0, written once into
 * the cache by Euclid's GGUF writer): same token-id prompts, thread count, greedy sampling (top-k 1),
 * EOS ignored, no prompt cache.
 *
 * <p>de.kherud's model leaves a non-daemon native server thread alive after {@code close()}, so the
 * fork would never exit by itself. JMH already sends every result during the run and, after its
 * shutdown timeout, closes the link and halts the VM; the fork arguments below shrink that timeout
 * from 30 s to 1 s. Results are unaffected (the JSON and the summary table still list them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Djmh.shutdownTimeout=1", "-Djmh.shutdownTimeout.step=1"})
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 5, time = 4)
public class LlamaCppDecodeBenchmark {

    @Param({"synthetic:110m", "synthetic:qwen0.5b", "synthetic:1b"})
    public String model;

    /** GGUF matrix type: F16 or Q8_0 (F32 for stories260K). */
    @Param({"F16", "Q8_0"})
    public String gguf;

    @Param("2")
    public int threads;

    private LlamaModel llama;
    private InferenceParameters decode, prefill;

    @Setup(Level.Trial)
    public void open() throws ReflectiveOperationException {
        llama = new LlamaModel(new ModelParameters()
                .setModel(BenchModels.ggufFile(model, gguf).toString())
                .setThreads(threads)
                .setThreadsBatch(threads)
                .setCtxSize(512)
                .setParallel(1)
                .disableLog()); // llama.cpp logs every request; that would bury JMH's output
        int vocab = BenchModels.vocab(model);
        decode = request(BenchFiles.promptTokens(1, vocab), BenchModels.DECODE_TOKENS);
        prefill = request(BenchFiles.promptTokens(BenchModels.PREFILL_TOKENS, vocab), 1);
        llama.complete(decode); // fail in setup, not mid-measurement
    }

    /** Token ids as the prompt (as Euclid gets them), exactly {@code tokens} generated. */
    private static InferenceParameters request(int[] prompt, int tokens) throws ReflectiveOperationException {
        InferenceParameters p = new InferenceParameters("")
                .setNPredict(tokens)
                .setIgnoreEos(true) // never stop early, as Euclid's empty stop list
                .setTemperature(0f)
                .setTopK(1) // greedy
                .setCachePrompt(false); // Euclid computes the prompt every call, so llama.cpp does too
        LlamaCppProbe.setPromptTokens(p, prompt);
        return p;
    }

    @Benchmark
    @OperationsPerInvocation(BenchModels.DECODE_TOKENS)
    public String decode() {
        return llama.complete(decode);
    }

    @Benchmark
    @OperationsPerInvocation(BenchModels.PREFILL_TOKENS)
    public String prefill() {
        return llama.complete(prefill);
    }

    @TearDown(Level.Trial)
    public void close() {
        llama.close();
    }
}
