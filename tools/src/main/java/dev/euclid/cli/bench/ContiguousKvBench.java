package dev.euclid.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.Request;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Decode speed of the paged KV cache against the contiguous one: the same requests on two engines
 * that differ only in KV block size, the second's blocks holding a whole sequence (attention then
 * walks one run of rows per sequence). Runs alternate between the engines, the first of each pair
 * taking turns, so that a change in a shared machine's load hits both alike; the ratio reported is
 * the median of the pairs' ratios. Separate bench runs minutes apart scatter by ±10% here.
 */
public final class ContiguousKvBench {
    private ContiguousKvBench() {}

    /**
     * @param progress called with the number of finished pairs (the warm-up pair included)
     * @return the settings, both engines' median decode rates and the median pair ratio, as JSON
     */
    public static ObjectNode run(Path model, BenchSettings s, IntConsumer progress) {
        int wholeSequence = s.promptTokens() + s.genTokens();
        if (wholeSequence > 4096) {
            throw new IllegalArgumentException("the contiguous cache holds a sequence in one KV block of at most 4096 tokens; "
                    + "prompt + gen tokens are " + wholeSequence);
        }
        BenchSettings contiguous = s.withKv(s.kv().withBlockTokens(wholeSequence));
        try (Engine paged = Engine.open(model, s.engineOptions());
                Engine whole = Engine.open(model, contiguous.engineOptions())) {
            Engine[] engines = {paged, whole};
            List<Request> requests = EuclidBench.requests(paged, s);
            for (Engine e : engines) EuclidBench.runOnce(e, requests);
            progress.accept(1);
            double[][] rates = new double[2][s.runs()];
            double[] ratios = new double[s.runs()];
            for (int i = 0; i < s.runs(); i++) {
                for (int j = 0; j < 2; j++) {
                    int e = (i + j) % 2;
                    List<Completion> done = EuclidBench.runOnce(engines[e], requests);
                    rates[e][i] = EuclidBench.aggregateDecodeRate(done);
                }
                ratios[i] = rates[0][i] / rates[1][i];
                progress.accept(i + 2);
            }
            ObjectNode o = EuclidBench.settingsJson(paged, s).put("samples", s.samples())
                    .put("kv_dtype", s.kv().type().name().toLowerCase(java.util.Locale.ROOT))
                    .put("kv_block_tokens", s.kv().blockTokens()).put("contiguous_kv_block_tokens", wholeSequence)
                    .put("decode_tokens_per_s", EuclidBench.median(rates[0]))
                    .put("contiguous_decode_tokens_per_s", EuclidBench.median(rates[1]))
                    .put("decode_ratio_vs_contiguous", EuclidBench.median(ratios));
            ArrayNode pairs = o.putArray("pair_ratios");
            for (double r : ratios) pairs.add(r);
            return o;
        }
    }
}
