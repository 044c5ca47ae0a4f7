package dev.euclid.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.RequestHandle;
import dev.euclid.Request;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        try (Engine engine = Engine.open(model, s.engineOptions())) {
            List<Request> requests = requests(engine, s);
            double[] prefill = new double[s.runs()], decode = new double[s.runs()], perSequence = new double[s.runs()];
            runOnce(engine, requests);
            progress.accept(1);
            for (int i = 0; i < s.runs(); i++) {
                List<Completion> all = runOnce(engine, requests);
                prefill[i] = all.get(0).timings().prefillTokensPerSecond();
                decode[i] = aggregateDecodeRate(all);
                perSequence[i] = all.stream().mapToDouble(c -> c.timings().decodeTokensPerSecond()).average().orElse(0);
                progress.accept(i + 2);
            }
            // Engine files keep the precision they were built with: report what actually ran.
            BenchSettings ran = s.ran(engine.weights(), engine.threads());
            return new BenchResult(ran, "euclid", median(prefill), median(decode), median(perSequence),
                    engine.weightBytesPerToken(), 0, engine.metrics());
        }
    }

    /** One run's requests: --batch B different prompts, submitted at once through the engine's scheduler. */
    static List<Request> requests(Engine engine, BenchSettings s) {
        List<Request> requests = new ArrayList<>();
        for (int b = 0; b < s.batch(); b++) {
            requests.add(Request.builder().promptTokens(prompt(s.promptTokens(), engine.info().vocabSize(), b))
                    .maxTokens(s.genTokens()).stopTokenIds().samples(s.samples()).speculation(s.speculation()).build());
        }
        return requests;
    }

    /** The settings as {@code engine} ran them (engine files keep their own precision), as JSON. */
    static ObjectNode settingsJson(Engine engine, BenchSettings s) {
        return new ObjectMapper().createObjectNode().put("model", s.model()).put("weights", engine.weights().wireName())
                .put("threads", engine.threads()).put("device", s.device().toString()).put("batch", s.batch()).put("prompt_tokens", s.promptTokens())
                .put("gen_tokens", s.genTokens()).put("runs", s.runs());
    }

    static List<Completion> runOnce(Engine engine, List<Request> requests) {
        List<RequestHandle> handles = new ArrayList<>();
        for (Request r : requests) handles.add(engine.submit(r));
        List<Completion> all = new ArrayList<>();
        for (RequestHandle h : handles) all.addAll(h.result().join().samples());
        return all;
    }

    /** A deterministic prompt: ids spread over the vocabulary (speed does not depend on which); variant b differs. */
    static int[] prompt(int length, int vocab, int variant) {
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) ids[i] = (int) Math.floorMod(i * 2654435761L + 7 + 7919L * variant, (long) vocab);
        return ids;
    }

    /**
     * Decode tokens of every sequence over the longest decode phase: the sequences decode
     * together, so this is the aggregate rate the engine sustains.
     */
    static double aggregateDecodeRate(List<Completion> all) {
        long tokens = 0, nanos = 0;
        for (Completion c : all) {
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
