package dev.euclid.cli.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * llama.cpp decoding {@code PARALLEL} sequences at once, run in a child JVM by {@link LlamaCppRunner}
 * as {@link LlamaCppProbe} is: the model is loaded with {@code PARALLEL} server slots
 * ({@code --parallel}, continuous batching on) and a context of {@code PARALLEL} × the per-sequence
 * length (llama.cpp's server splits its context evenly between slots); {@code PARALLEL} Java threads
 * then submit one completion each at the same moment, so the server's loop decodes them as one
 * batch — llama.cpp's counterpart of Euclid's {@code bench --batch}. Sequence b gets the prompt
 * {@code EuclidBench} gives request b.
 *
 * <p>Arguments: {@code GGUF THREADS PROMPT_TOKENS GEN_TOKENS RUNS VOCAB PARALLEL}. One short
 * warm-up round, then {@code RUNS} pairs of rounds, a short one ({@link DecodeWindow#shortGen}
 * tokens per sequence) and a long one ({@code GEN_TOKENS}), timed on the wall clock from
 * submission until every sequence has finished; {@link DecodeWindow} turns each pair into a decode
 * rate. Output lines as {@link LlamaCppProbe}'s.
 */
public final class LlamaCppParallelProbe {
    private LlamaCppParallelProbe() {}

    public static void main(String[] args) {
        LlamaCppProbe.report(() -> measure(args));
    }

    private static String measure(String[] arguments) throws Exception {
        LlamaCppProbe.Args a = LlamaCppProbe.Args.parse(arguments, 1, " PARALLEL");
        String gguf = a.gguf();
        int threads = a.threads(), promptTokens = a.promptTokens(), genTokens = a.genTokens(), runs = a.runs(), vocab = a.vocab();
        int parallel = Integer.parseInt(arguments[6]);
        int perSequence = promptTokens + genTokens + 16;
        LlamaModel model = new LlamaModel(new ModelParameters()
                .setModel(gguf)
                .setThreads(threads)
                .setThreadsBatch(threads)
                .setCtxSize(parallel * perSequence)
                .setParallel(parallel)
                .enableContBatching());
        int shortGen = DecodeWindow.shortGen(genTokens);
        List<InferenceParameters> longRound = new ArrayList<>(), shortRound = new ArrayList<>();
        for (int b = 0; b < parallel; b++) {
            int[] prompt = EuclidBench.prompt(promptTokens, vocab, b);
            longRound.add(request(prompt, genTokens));
            shortRound.add(request(prompt, shortGen));
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        round(model, pool, shortRound); // warm-up
        System.out.println(LlamaCppProbe.PROGRESS);
        System.out.flush();
        StringBuilder json = new StringBuilder("{\"pairs\":[");
        for (int run = 0; run < runs; run++) {
            double shortMs = round(model, pool, shortRound), longMs = round(model, pool, longRound);
            json.append(run == 0 ? "" : ",").append(String.format(Locale.ROOT, "{\"short_ms\":%.3f,\"long_ms\":%.3f}", shortMs, longMs));
            System.out.println(LlamaCppProbe.PROGRESS);
            System.out.flush();
        }
        return json.append("]}").toString();
    }

    private static InferenceParameters request(int[] prompt, int genTokens) throws ReflectiveOperationException {
        InferenceParameters p = new InferenceParameters("")
                .setNPredict(genTokens)
                .setIgnoreEos(true)
                .setTemperature(0f)
                .setTopK(1)
                .setCachePrompt(false);
        LlamaCppProbe.setPromptTokens(p, prompt);
        return p;
    }

    /**
     * Submits every request at once from its own thread and returns the wall-clock milliseconds
     * until all have finished. Non-streaming ({@code complete}): with streaming, every token of
     * every slot wakes all B waiting threads in the binding's result queue (B² wake-ups per step on
     * a 2-core machine), which would slow llama.cpp down for a reason that is not llama.cpp's.
     * The parent checks the token counts in llama.cpp's log.
     */
    private static double round(LlamaModel model, ExecutorService pool, List<InferenceParameters> requests)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> seqs = new ArrayList<>();
        for (InferenceParameters r : requests) {
            seqs.add(pool.submit(() -> {
                go.await();
                return model.complete(r);
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        for (Future<String> f : seqs) f.get();
        return (System.nanoTime() - start) / 1e6;
    }
}
