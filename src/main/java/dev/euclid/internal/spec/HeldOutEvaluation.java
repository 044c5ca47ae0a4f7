package dev.euclid.internal.spec;

import dev.euclid.internal.spec.BaseModelRunner.Sequence;
import java.util.List;

/**
 * Measures a drafter on held-out greedy sequences: per-position top-1 accuracy with the true
 * preceding tokens fed (the Java forward), and the mean tokens per greedy verification step,
 * simulated with the native beam search exactly as decoding would run it.
 */
final class HeldOutEvaluation {
    private final DrafterNet net;
    private final float[] params;
    private final int draftTokens, beams;

    /** Progress of the acceptance walk, in sequences. */
    interface Progress {
        void update(long done, long total);
    }

    HeldOutEvaluation(DrafterNet net, float[] params, int draftTokens, int beams) {
        this.net = net;
        this.params = params;
        this.draftTokens = draftTokens;
        this.beams = beams;
    }

    /**
     * accuracy[k]: over every decode position t (from the last prompt token on) with K tokens after
     * it, the share where the drafter's argmax at draft position k + 1 is the base model's greedy token.
     */
    double[] top1Accuracy(List<Sequence> sequences) {
        int k = draftTokens, d = net.shape().dim();
        DrafterNet.Trace trace = net.trace(k);
        long[] correct = new long[k];
        long positions = 0;
        for (Sequence s : sequences) {
            for (int t = s.promptLength() - 1; t + k <= s.length() - 1; t++) {
                net.forward(params, s.hidden(), t * d, s.tokens(), t + 1, k, trace);
                for (int j = 0; j < k; j++) {
                    if (DrafterNet.argmax(trace.logits[j]) == s.greedy()[t + 1 + j]) correct[j]++;
                }
                positions++;
            }
        }
        double[] accuracy = new double[k];
        for (int j = 0; j < k; j++) accuracy[j] = positions == 0 ? 0 : correct[j] / (double) positions;
        return accuracy;
    }

    /**
     * Walks each greedy sequence as speculative decoding would: at position t the base model has
     * produced x_{t+1}; the drafter proposes from (h_t, x_{t+1}); the step keeps the longest prefix of
     * any beam that matches the greedy continuation x_{t+2} .. plus the base model's bonus token, and
     * decoding resumes after them. Returns kept tokens per step.
     */
    double meanAcceptedTokens(NativeDrafter drafter, List<Sequence> sequences, Progress progress) {
        int k = draftTokens, d = net.shape().dim();
        int[] token = new int[1], out = new int[beams * k];
        float[] hidden = new float[d];
        long kept = 0, steps = 0;
        for (int i = 0; i < sequences.size(); i++) {
            Sequence s = sequences.get(i);
            int[] x = s.tokens();
            for (int t = s.promptLength() - 1; t + 1 + k <= s.length() - 1; ) {
                System.arraycopy(s.hidden(), t * d, hidden, 0, d);
                token[0] = x[t + 1];
                drafter.proposeHidden(hidden, 1, token, beams, k, out, null);
                int accepted = 0;
                for (int b = 0; b < beams; b++) {
                    int a = 0;
                    while (a < k && out[b * k + a] == x[t + 2 + a]) a++;
                    accepted = Math.max(accepted, a);
                }
                kept += accepted + 1;
                steps++;
                t += accepted + 1;
            }
            progress.update(i + 1, sequences.size());
        }
        return steps == 0 ? 0 : kept / (double) steps;
    }
}
