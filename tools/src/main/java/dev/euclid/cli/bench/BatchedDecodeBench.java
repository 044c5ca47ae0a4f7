package dev.euclid.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.KvOptions;
import dev.euclid.ModelInfo;
import dev.euclid.Precision;
import dev.euclid.Request;
import dev.euclid.RequestHandle;
import dev.euclid.synthetic.GgufWriter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * {@code euclid bench --batch B --peak --llama-cpp}: Euclid's aggregate decode rate with B
 * concurrent sequences as achieved GFLOP/s and its fraction of this machine's arithmetic peak, and
 * llama.cpp decoding B sequences in parallel slots on the same synthetic weights, all in one run.
 *
 * <p>Euclid's decode rate is read from when its tokens arrived in the long round: the steps in which
 * all B sequences decode ({@link DecodeWindow#steady}). Both engines also get the difference of two
 * rounds ({@link DecodeWindow#rate}): a round generating a quarter of {@code --gen-tokens} per
 * sequence and one generating all of them; the llama.cpp ratio compares those.
 *
 * <p>Order: peak probe, Euclid, llama.cpp, peak probe again (the better probe is the peak: a busy
 * neighbour only ever lowers one). Euclid's KV budget, when not given, is sized so that all B
 * sequences fit at once: the default (one full-context sequence) would make the scheduler queue
 * them, and the bench would not measure B concurrent sequences.
 *
 * @param euclid what Euclid measured; its decode rate is the aggregate of all sequences over the
 *     steps in which all decode ({@link DecodeWindow#steady})
 * @param roundDifferenceDecode Euclid's rate as the difference of two rounds, the measure llama.cpp gets
 * @param roundDecodeShare the share of Euclid's long round its extra tokens took ({@link DecodeWindow#decodeShare})
 * @param medianStepDecode Euclid's rate from the median step of those steps (less moved by a busy neighbour)
 * @param longestPhaseDecode the plain {@code bench} measure for reference: decode tokens of all
 *     sequences over the longest one's decode phase (prefill of the others included)
 * @param roundOutput the long round's generated tokens over its wall time, prefill included: what a
 *     load generator's output tokens per second measures for the same requests sent at once
 * @param peak the arithmetic peak at Euclid's thread count, or null when not asked
 * @param meanContext mean context of the timed steps
 * @param flopsPerToken FLOPs of one decode token at the mean decode context ({@link DecodeFlops})
 * @param llamaWeights the GGUF matrix type llama.cpp ran (Q8_0 against FP8/INT8/BF16 engines, F16 otherwise)
 * @param llama llama.cpp's aggregate rate per measured pair of rounds, or null when not asked
 * @param llamaRounds the wall-clock ms of llama.cpp's rounds (raw, to check the rates against)
 * @param llamaDecodeShare the share of llama.cpp's long round its extra tokens took
 * @param llamaLongestPhaseDecode llama.cpp's rate by the plain bench's measure, from its own log
 */
public record BatchedDecodeBench(BenchResult euclid, double roundDifferenceDecode, double roundDecodeShare, double medianStepDecode,
        double longestPhaseDecode, double roundOutput, ArithmeticPeak peak, double meanContext, double flopsPerToken, String llamaWeights, double[] llama,
        String llamaSource, String llamaBuild, String llamaRounds, double llamaDecodeShare, double llamaLongestPhaseDecode) {

    /**
     * Tokens per step, llama.cpp's default batch ({@code n_batch} 2048). The engine's default, 128,
     * caps every step at 128 tokens: with 48 sequences of 128-token prompts the prompts then trickle
     * in over ~80 steps, the first sequences finish before the last start, and the rounds' difference
     * measures mixed 128-token steps instead of 48 sequences decoding together.
     */
    static final int MAX_TOKENS_PER_STEP = 2048;

    /**
     * @param shape the synthetic shape whose GGUF llama.cpp runs (null: no llama.cpp)
     * @param progress called with the Euclid runs done (warm-up included)
     */
    public static BatchedDecodeBench run(Path model, BenchSettings s, boolean peak, String shape, IntConsumer progress) {
        int threads = s.threads() == 0 ? Runtime.getRuntime().availableProcessors() : s.threads();
        ArithmeticPeak before = peak ? ArithmeticPeak.measure(threads) : null;
        ModelInfo info;
        BenchSettings sized = s;
        try (Engine engine = Engine.open(model, EngineOptions.defaults().withThreads(1).withWeights(s.weights()).withKv(s.kv()))) {
            info = engine.info();
            if (s.kv().budgetBytes() == 0) {
                long tokens = (long) s.batch() * s.samples() * (s.promptTokens() + s.genTokens() + 2L * s.kv().blockTokens());
                KvOptions kv = s.kv().withBudgetBytes(tokens * engine.metrics().kv().bytesPerToken());
                sized = s.withKv(kv);
            }
        }
        BenchResult r;
        double longestPhase, roundOutput, roundDifference, roundShare, medianStepDecode, context;
        int shortGen = DecodeWindow.shortGen(s.genTokens()), seqs = s.batch() * s.samples();
        EngineOptions options = sized.engineOptions().withMaxTokensPerStep(MAX_TOKENS_PER_STEP);
        try (Engine engine = Engine.open(model, options)) {
            List<Request> shortRound = new ArrayList<>(), longRound = new ArrayList<>();
            for (int b = 0; b < s.batch(); b++) {
                int[] prompt = EuclidBench.prompt(s.promptTokens(), info.vocabSize(), b);
                shortRound.add(Request.builder().promptTokens(prompt).maxTokens(shortGen).stopTokenIds().samples(s.samples()).build());
                longRound.add(Request.builder().promptTokens(prompt).maxTokens(s.genTokens()).stopTokenIds().samples(s.samples()).build());
            }
            double[] prefill = new double[s.runs()], window = new double[s.runs()], phase = new double[s.runs()];
            double[] steady = new double[s.runs()], steps = new double[s.runs()], medianStep = new double[s.runs()];
            double[] share = new double[s.runs()], output = new double[s.runs()];
            EuclidBench.runOnce(engine, shortRound); // warm-up
            progress.accept(1);
            for (int i = 0; i < s.runs(); i++) {
                long t0 = System.nanoTime();
                EuclidBench.runOnce(engine, shortRound);
                long t1 = System.nanoTime();
                List<long[]> arrivals = new ArrayList<>();
                List<Completion> all = runClocked(engine, longRound, s.genTokens(), arrivals);
                long t2 = System.nanoTime();
                window[i] = DecodeWindow.rate(seqs, shortGen, s.genTokens(), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
                share[i] = DecodeWindow.decodeShare((t1 - t0) / 1e9, (t2 - t1) / 1e9);
                output[i] = (double) seqs * s.genTokens() / ((t2 - t1) / 1e9);
                DecodeWindow.Steady d = DecodeWindow.steady(arrivals);
                steady[i] = d.tokensPerSecond();
                steps[i] = d.steps();
                medianStep[i] = d.medianStepTokensPerSecond();
                prefill[i] = all.get(0).timings().prefillTokensPerSecond();
                phase[i] = EuclidBench.aggregateDecodeRate(all);
                progress.accept(i + 2);
            }
            BenchSettings ran = sized.ran(engine.weights(), engine.threads());
            double decode = EuclidBench.median(steady);
            r = new BenchResult(ran, "euclid", EuclidBench.median(prefill), decode, decode / seqs, engine.weightBytesPerToken(), 0,
                    engine.metrics());
            longestPhase = EuclidBench.median(phase);
            roundOutput = EuclidBench.median(output);
            roundDifference = EuclidBench.median(window);
            roundShare = EuclidBench.median(share);
            medianStepDecode = EuclidBench.median(medianStep);
            context = DecodeWindow.steadyMeanContext(s.promptTokens(), (int) EuclidBench.median(steps));
        }
        String llamaWeights = null, source = null, build = null, llamaRounds = null;
        double llamaLongestPhase = Double.NaN, llamaShare = Double.NaN;
        double[] llama = null;
        if (shape != null) {
            if (!LlamaCppRunner.available()) throw new IllegalStateException("--llama-cpp needs de.kherud:llama: run euclid-cli.jar");
            GgufWriter.WeightType type = r.settings().weights() == Precision.FP16 || r.settings().weights() == Precision.FP32
                    ? GgufWriter.WeightType.F16 : GgufWriter.WeightType.Q8_0;
            Path gguf = BenchFiles.gguf(BenchFiles.defaultCache(), shape, type);
            LlamaCppRunner.ParallelResult l = LlamaCppRunner.measureParallel(gguf, r.settings().threads(), s.promptTokens(),
                    s.genTokens(), s.runs(), info.vocabSize(), s.batch() * s.samples(), done -> {});
            llamaWeights = type.name();
            llama = l.decode();
            source = l.source();
            llamaRounds = l.rounds();
            llamaShare = Measurement.median(l.decodeShare());
            llamaLongestPhase = Measurement.median(l.longestPhase());
            build = l.build();
        }
        ArithmeticPeak p = peak ? before.max(ArithmeticPeak.measure(r.settings().threads())) : null;
        return new BatchedDecodeBench(r, roundDifference, roundShare, medianStepDecode, longestPhase, roundOutput, p, context,
                DecodeFlops.perToken(info, context), llamaWeights, llama, source, build, llamaRounds, llamaShare, llamaLongestPhase);
    }

    /** Runs a round as {@link EuclidBench#runOnce} and adds each sequence's token arrival times to {@code arrivals}. */
    static List<Completion> runClocked(Engine engine, List<Request> requests, int maxTokens, List<long[]> arrivals) {
        List<RequestHandle> handles = new ArrayList<>();
        List<TokenClock> clocks = new ArrayList<>();
        for (Request r : requests) {
            RequestHandle h = engine.submit(r);
            TokenClock c = new TokenClock(r.samples(), maxTokens);
            h.tokens().subscribe(c);
            handles.add(h);
            clocks.add(c);
        }
        List<Completion> all = new ArrayList<>();
        for (RequestHandle h : handles) all.addAll(h.result().join().samples());
        for (TokenClock c : clocks) arrivals.addAll(c.arrivals());
        return all;
    }

    /** Achieved FLOP/s: aggregate decode tokens/s × FLOPs per token. */
    public double flops() {
        return euclid.decodeTokensPerSecond() * flopsPerToken;
    }

    public double llamaDecodeTokensPerSecond() {
        return llama == null ? Double.NaN : Measurement.median(llama);
    }

    /** Euclid's aggregate decode rate over llama.cpp's at the same number of sequences, both as the difference of two rounds. */
    public double llamaRatio() {
        return roundDifferenceDecode / llamaDecodeTokensPerSecond();
    }

    /**
     * Whether both engines' long rounds were mostly decode, so that the difference of two rounds
     * measures decode and not prefill noise ({@link DecodeWindow#RELIABLE_DECODE_SHARE}).
     */
    public boolean llamaRatioReliable() {
        return roundDecodeShare >= DecodeWindow.RELIABLE_DECODE_SHARE && llamaDecodeShare >= DecodeWindow.RELIABLE_DECODE_SHARE;
    }

    public void print(PrintStream out) {
        int seqs = euclid.settings().batch() * euclid.settings().samples();
        out.printf(Locale.ROOT, "decode, steps with all %d sequences: %.2f tok/s aggregate (median step: %.2f; long round - short round: "
                + "%.2f; %.2f over the longest decode phase)%n", seqs, euclid.decodeTokensPerSecond(), medianStepDecode, roundDifferenceDecode,
                longestPhaseDecode);
        out.printf(Locale.ROOT, "output, all %d requests sent at once, prefill included: %.2f tok/s%n", seqs, roundOutput);
        out.printf(Locale.ROOT, "decode work %.3f GFLOP/token (mean context %.0f): %.1f GFLOP/s achieved%n", flopsPerToken / 1e9,
                meanContext, flops() / 1e9);
        if (peak != null) {
            out.printf(Locale.ROOT, "arithmetic peak, %d threads: FP32 FMA %.1f GFLOP/s (%s)%s%n", peak.threads(), peak.fp32Flops() / 1e9,
                    peak.fp32Isa(), peak.bf16Flops() > 0 ? String.format(Locale.ROOT,
                            "; BF16 dot %.1f GFLOP/s (%s, information: no kernel uses it)", peak.bf16Flops() / 1e9, peak.bf16Isa()) : "");
            out.printf(Locale.ROOT, "decode reaches %.1f%% of the FP32 FMA peak (the kernels widen weights to FP32 and use FP32 FMA)%n",
                    100 * flops() / peak.fp32Flops());
        }
        if (llama != null) {
            out.printf(Locale.ROOT, "llama.cpp %s, %d parallel slots: %.2f tok/s aggregate (%s; %.2f over the longest decode phase); "
                    + "Euclid / llama.cpp = %.2fx%n", llamaWeights, seqs, llamaDecodeTokensPerSecond(), llamaSource,
                    llamaLongestPhaseDecode, llamaRatio());
            if (!llamaRatioReliable()) {
                out.printf(Locale.ROOT, "the ratio is unreliable: the extra decode tokens took %.0f%% (Euclid) and %.0f%% (llama.cpp) "
                        + "of the long rounds, the rest is prefill; give the rounds more decode than prefill, e.g. "
                        + "--prompt-tokens 32 --gen-tokens 128%n", 100 * roundDecodeShare, 100 * llamaDecodeShare);
            }
        }
    }

    public void addTo(ObjectNode o) {
        o.put("kv_bytes_budget", euclid.settings().kv().budgetBytes());
        o.put("max_tokens_per_step", MAX_TOKENS_PER_STEP);
        o.put("decode_method", "steady: steps in which all sequences decode, from token arrival times, aggregate over all sequences");
        o.put("decode_tokens_per_s_round_difference", roundDifferenceDecode);
        o.put("round_difference_decode_share", roundDecodeShare);
        o.put("decode_tokens_per_s_median_step", medianStepDecode);
        o.put("decode_tokens_per_s_longest_phase", longestPhaseDecode);
        o.put("output_tokens_per_s_prefill_included", roundOutput);
        o.put("mean_decode_context", meanContext);
        o.put("decode_flops_per_token", flopsPerToken);
        o.put("decode_flops_per_s", flops());
        if (peak != null) {
            peak.addTo(o);
            o.put("decode_fraction_of_fp32_fma_peak", flops() / peak.fp32Flops());
        }
        if (llama != null) {
            o.put("llama_cpp_weights", llamaWeights);
            o.put("llama_cpp_parallel", euclid.settings().batch() * euclid.settings().samples());
            o.put("llama_cpp_decode_tokens_per_s", llamaDecodeTokensPerSecond());
            o.put("llama_cpp_timing", llamaSource);
            o.put("llama_cpp_decode_tokens_per_s_longest_phase", llamaLongestPhaseDecode);
            o.put("llama_cpp_rounds", llamaRounds);
            if (llamaBuild != null) o.put("llama_cpp_build", llamaBuild);
            o.put("llama_cpp_round_difference_decode_share", llamaDecodeShare);
            o.put("decode_ratio_vs_llama_cpp", llamaRatio());
            o.put("decode_ratio_vs_llama_cpp_reliable", llamaRatioReliable());
        }
    }
}
