package dev.euclid.cli.bench;

import dev.euclid.ModelInfo;

/**
 * Floating-point operations one decoded token costs, to turn decode tokens/s into GFLOP/s.
 *
 * <p>Counted as in the usual transformer FLOP estimates (Kaplan et al. 2020): two FLOPs (a multiply
 * and an add) per matrix weight per token — q, k, v, o, gate, up and down projections of every
 * layer plus the LM head; the token embedding is a row lookup and costs none — plus attention,
 * {@code 4 × layers × context × q_dim}: q·k over every cached position and the weighted sum of V
 * (two FLOPs per element each). Norms, RoPE, softmax and biases are left out (under 0.1% here).
 */
public final class DecodeFlops {
    private DecodeFlops() {}

    /** Weights of every matrix a token is multiplied with: the layers' projections and the LM head. */
    public static long matrixWeights(ModelInfo m) {
        long q = (long) m.heads() * m.headDim(), kv = (long) m.kvHeads() * m.headDim();
        long perLayer = q * m.dim() + 2 * kv * m.dim() + q * m.dim() + 3L * m.ffnDim() * m.dim();
        return perLayer * m.layers() + (long) m.vocabSize() * m.dim();
    }

    /** Attention FLOPs of one token that attends to {@code context} positions (itself included). */
    public static double attention(ModelInfo m, double context) {
        return 4.0 * m.layers() * context * ((long) m.heads() * m.headDim());
    }

    /** FLOPs of one decode token attending to {@code context} positions. */
    public static double perToken(ModelInfo m, double context) {
        return 2.0 * matrixWeights(m) + attention(m, context);
    }
}
