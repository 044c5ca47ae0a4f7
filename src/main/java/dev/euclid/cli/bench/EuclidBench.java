package dev.euclid.cli.bench;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.Generation;
import dev.euclid.Request;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntConsumer;

/** Measures Euclid's prefill and decode speed for one configuration through the public API. */
public final class EuclidBench {
    private EuclidBench() {}

    /**
     * Opens the model, runs one warm-up generation and {@code runs} measured ones with a fixed
     * synthetic prompt and stop tokens disabled, and reports the median rates.
     *
     * @param progress called with the number of finished runs (warm-up included)
     */
    public static BenchResult run(Path model, BenchSettings s, IntConsumer progress) {
        // Prefix caching off: every run repeats the prompt, and must compute it.
        EngineOptions options = EngineOptions.defaults().withThreads(s.threads()).withWeights(s.weights())
                .withKv(s.kv().withPrefixCaching(false));
        try (Engine engine = Engine.open(model, options)) {
            int[] prompt = prompt(s.promptTokens(), engine.info().vocabSize());
            Request request = Request.builder().promptTokens(prompt).maxTokens(s.genTokens()).stopTokenIds()
                    .samples(s.samples()).build();
            double[] prefill = new double[s.runs()], decode = new double[s.runs()];
            engine.generateAll(request);
            progress.accept(1);
            for (int i = 0; i < s.runs(); i++) {
                Generation g = engine.generateAll(request);
                prefill[i] = g.samples().get(0).timings().prefillTokensPerSecond();
                decode[i] = aggregateDecodeRate(g);
                progress.accept(i + 2);
            }
            // Engine files keep the precision they were built with: report what actually ran.
            BenchSettings ran = new BenchSettings(s.model(), engine.weights(), engine.threads(), s.batch(),
                    s.promptTokens(), s.genTokens(), s.runs(), s.samples(), s.kv());
            return new BenchResult(ran, "euclid", median(prefill), median(decode), engine.weightBytesPerToken(), 0,
                    engine.kvStats());
        }
    }

    /** A deterministic prompt: ids spread over the vocabulary (speed does not depend on which). */
    static int[] prompt(int length, int vocab) {
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) ids[i] = (int) Math.floorMod(i * 2654435761L + 7, (long) vocab);
        return ids;
    }

    /** Decode tokens of all samples over the decode phase's wall time (samples decode together). */
    static double aggregateDecodeRate(Generation g) {
        long tokens = 0, nanos = 0;
        for (Completion c : g.samples()) {
            tokens += c.timings().decodeTokens();
            nanos = Math.max(nanos, c.timings().decodeNanos());
        }
        return nanos == 0 ? 0 : tokens * 1e9 / nanos;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
