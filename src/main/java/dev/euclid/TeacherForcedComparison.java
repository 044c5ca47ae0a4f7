package dev.euclid;

import java.util.List;

/**
 * How closely one engine follows another over the same token sequences, teacher-forced: at every
 * position both score the true next token, as llama.cpp's perplexity tool does with
 * {@code --kl-divergence}. Typically the reference is a model in FP32 and the candidate the same
 * model in a smaller precision.
 *
 * @param positions predictions compared (each sequence of n tokens gives n - 1)
 * @param top1Agreement share of positions where both engines' most likely token is the same
 * @param klDivergence mean KL(reference || candidate) of the next-token distributions, in nats
 * @param perplexity the candidate's perplexity of the sequences' next tokens
 * @param referencePerplexity the reference's perplexity of them
 */
public record TeacherForcedComparison(long positions, double top1Agreement, double klDivergence, double perplexity,
        double referencePerplexity) {

    /**
     * Runs both engines over every sequence (each at most the models' context, at least two tokens,
     * starting as the model expects, e.g. with BOS) and compares their predictions.
     */
    public static TeacherForcedComparison of(Engine reference, Engine candidate, List<int[]> sequences) {
        long positions = 0, agree = 0;
        double kl = 0, nll = 0, referenceNll = 0;
        for (int[] ids : sequences) {
            if (ids.length < 2) throw new IllegalArgumentException("a sequence needs at least 2 tokens, got " + ids.length);
            int[] input = java.util.Arrays.copyOf(ids, ids.length - 1);
            float[][] p = reference.logits(input), q = candidate.logits(input);
            for (int t = 0; t < input.length; t++) {
                double[] lp = logSoftmax(p[t]), lq = logSoftmax(q[t]);
                if (argmax(p[t]) == argmax(q[t])) agree++;
                for (int v = 0; v < lp.length; v++) kl += Math.exp(lp[v]) * (lp[v] - lq[v]);
                nll -= lq[ids[t + 1]];
                referenceNll -= lp[ids[t + 1]];
                positions++;
            }
        }
        if (positions == 0) throw new IllegalArgumentException("no sequences to compare");
        return new TeacherForcedComparison(positions, (double) agree / positions, kl / positions,
                Math.exp(nll / positions), Math.exp(referenceNll / positions));
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    private static double[] logSoftmax(float[] x) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : x) max = Math.max(max, v);
        for (float v : x) sum += Math.exp(v - max);
        double log = Math.log(sum);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] - max - log;
        return out;
    }
}
