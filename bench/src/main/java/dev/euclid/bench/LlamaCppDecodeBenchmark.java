package dev.euclid.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
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
 * The same measurement as {@link DecodeBenchmark} through llama.cpp (de.kherud:llama, CPU build):
 * same weights (stories260K as F32 GGUF), prompt, thread count, greedy sampling and token count.
 *
 * <p>de.kherud's model leaves a non-daemon native server thread alive after {@code close()}, so the
 * fork would never exit by itself. JMH already sends every result during the run and, after its
 * shutdown timeout, closes the link and halts the VM; the fork arguments below shrink that timeout
 * from 30 s to 1 s. Results are unaffected (verified: the JSON and the summary table still list them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Djmh.shutdownTimeout=1", "-Djmh.shutdownTimeout.step=1"})
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 5, time = 4)
public class LlamaCppDecodeBenchmark {

    @Param(BenchModels.STORIES)
    public String model;

    @Param("2")
    public int threads;

    private LlamaModel llama;
    private InferenceParameters request;

    @Setup(Level.Trial)
    public void open() {
        llama = new LlamaModel(new ModelParameters()
                .setModel(BenchModels.ggufModel(model).toString())
                .setThreads(threads)
                .setThreadsBatch(threads)
                .setCtxSize(512) // stories260K's trained context length
                .setParallel(1)
                .disableLog()); // llama.cpp logs every request; that would bury JMH's output
        request = new InferenceParameters(BenchModels.PROMPT)
                .setNPredict(BenchModels.NEW_TOKENS)
                .setIgnoreEos(true) // never stop early, as Euclid's empty stop list
                .setTemperature(0f) // greedy
                .setCachePrompt(false); // Euclid re-prefills the prompt every call, so llama.cpp does too
        // complete() returns only text, so count tokens once through the streaming API: one output
        // per token, then a final empty one that carries the stop flag.
        int produced = -1;
        for (LlamaOutput ignored : llama.generate(request)) produced++;
        if (produced != BenchModels.NEW_TOKENS) {
            throw new IllegalStateException("llama.cpp streamed " + produced + " tokens, expected " + BenchModels.NEW_TOKENS);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BenchModels.NEW_TOKENS)
    public String generate() {
        return llama.complete(request);
    }

    @TearDown(Level.Trial)
    public void close() {
        llama.close();
    }
}
