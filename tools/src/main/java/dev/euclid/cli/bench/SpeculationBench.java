package dev.euclid.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.Request;
import dev.euclid.Speculation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Speculative decoding against plain decoding of the same greedy requests, in one run on one
 * engine, so the speedup is a ratio of two measurements taken side by side. The plain run also
 * records each sequence's continuation: the replay drafter proposes it back, and the output of
 * every speculative run is checked against it (speculation is lossless).
 */
public final class SpeculationBench {
    private SpeculationBench() {}

    /** Decode tokens/s without and with the settings' speculation, medians of its runs after a warm-up. */
    public static ObjectNode speedup(Path model, BenchSettings s) {
        return compare(model, s, (engine, recorded) -> {
            if (s.speculation().kind() == Speculation.Kind.REDRAFTER) engine.loadDrafter(s.drafter());
            return s.speculation();
        }, null);
    }

    /**
     * Decode tokens/s without and with a replay drafter ({@link ReplayProposer}) of
     * {@code draftTokens} tokens accepted with probability {@code acceptRate} each.
     */
    public static ObjectNode replaySpeedup(Path model, BenchSettings s, int draftTokens, double acceptRate) {
        return compare(model, s, (engine, recorded) -> Speculation.proposer(
                new ReplayProposer(recorded, acceptRate, engine.info().vocabSize()), draftTokens), acceptRate);
    }

    private static ObjectNode compare(Path model, BenchSettings s, BiFunction<Engine, List<int[]>, Speculation> drafting,
            Double replayAcceptRate) {
        try (Engine engine = open(model, s)) {
            List<Request> plain = requests(engine, s, Speculation.off());
            List<int[]> recorded = record(engine, plain);
            Speculation spec = drafting.apply(engine, recorded);
            List<Request> speculative = requests(engine, s, spec);
            EuclidBench.runOnce(engine, speculative); // warm-up
            double[] rates = alternating(engine, plain, speculative, s.runs(), recorded);
            ObjectNode o = EuclidBench.settingsJson(engine, s);
            o.put("speculative", replayAcceptRate != null ? "replay" : spec.kind().name().toLowerCase(java.util.Locale.ROOT));
            if (replayAcceptRate != null) o.put("replay_accept_rate", replayAcceptRate);
            o.put("draft_tokens", spec.draftTokens());
            o.put("beams", spec.beams());
            o.put("speculative_step_tokens", s.speculativeStepTokens());
            o.put("plain_decode_tokens_per_s", rates[0]);
            o.put("speculative_decode_tokens_per_s", rates[1]);
            o.put("speedup", rates[1] / rates[0]);
            o.put("mean_accepted_tokens_per_step", engine.metrics().meanTokensPerVerification());
            return o;
        }
    }

    /**
     * The cost of verifying k tokens (the root and k - 1 drafts, all rejected) per step against a
     * plain one-token decode step, for k = 1..maxK: what a draft budget must pay for.
     */
    public static ObjectNode verifyCurve(Path model, BenchSettings s, int maxK) {
        // Every sequence must get its k - 1 drafts whatever the engine's default budget.
        try (Engine engine = open(model, s, Math.max(s.speculativeStepTokens(), maxK * s.batch()))) {
            List<Request> plain = requests(engine, s, Speculation.off());
            List<int[]> recorded = record(engine, plain);
            ReplayProposer wrong = new ReplayProposer(recorded, 0, engine.info().vocabSize());
            ObjectNode o = EuclidBench.settingsJson(engine, s);
            ArrayNode curve = o.putArray("verify_cost");
            curve.addObject().put("k", 1).put("step_time_ratio", 1.0);
            for (int k = 2; k <= maxK; k++) {
                double[] rates = alternating(engine, plain,
                        requests(engine, s, Speculation.proposer(wrong, k - 1)), s.runs(), recorded);
                // Every draft is rejected: both runs make one token per step, so rates are steps/s.
                curve.addObject().put("k", k).put("step_time_ratio", rates[0] / rates[1])
                        .put("plain_tokens_per_s", rates[0]).put("tokens_per_s", rates[1]);
            }
            return o;
        }
    }

    private static Engine open(Path model, BenchSettings s) {
        return open(model, s, s.speculativeStepTokens());
    }

    private static Engine open(Path model, BenchSettings s, int stepTokens) {
        return Engine.open(model, s.engineOptions().withSpeculativeStepTokens(stepTokens));
    }

    private static List<Request> requests(Engine engine, BenchSettings s, Speculation spec) {
        List<Request> out = new ArrayList<>();
        for (int b = 0; b < s.batch(); b++) {
            out.add(Request.builder().promptTokens(EuclidBench.prompt(s.promptTokens(), engine.info().vocabSize(), b))
                    .maxTokens(s.genTokens()).stopTokenIds().speculation(spec).build());
        }
        return out;
    }

    /** Prompt + greedy continuation of each request (also the warm-up). */
    private static List<int[]> record(Engine engine, List<Request> requests) {
        return full(requests, EuclidBench.runOnce(engine, requests));
    }

    private static List<int[]> full(List<Request> requests, List<Completion> done) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            int[] p = requests.get(i).promptTokens(), g = done.get(i).tokenIds();
            int[] f = Arrays.copyOf(p, p.length + g.length);
            System.arraycopy(g, 0, f, p.length, g.length);
            out.add(f);
        }
        return out;
    }

    /**
     * Median aggregate decode rates of {@code a} and {@code b}, run in turns so that a change in the
     * machine's load hits both alike; every run must reproduce the recorded tokens.
     */
    private static double[] alternating(Engine engine, List<Request> a, List<Request> b, int runs, List<int[]> recorded) {
        double[] rateA = new double[runs], rateB = new double[runs];
        for (int i = 0; i < runs; i++) {
            rateA[i] = checkedRate(engine, a, recorded);
            rateB[i] = checkedRate(engine, b, recorded);
        }
        return new double[] {EuclidBench.median(rateA), EuclidBench.median(rateB)};
    }

    private static double checkedRate(Engine engine, List<Request> requests, List<int[]> recorded) {
        List<Completion> done = EuclidBench.runOnce(engine, requests);
        List<int[]> got = full(requests, done);
        for (int j = 0; j < got.size(); j++) {
            if (!Arrays.equals(got.get(j), recorded.get(j))) {
                throw new IllegalStateException("sequence " + j + " differs from the plain run: speculation changed the output");
            }
        }
        return EuclidBench.aggregateDecodeRate(done);
    }

}
