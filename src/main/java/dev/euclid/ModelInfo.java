package dev.euclid;

/**
 * Architecture of a loaded model, as read from its checkpoint.
 *
 * @param attentionOutputBias the attention's output projection has a bias (Llama's attention_bias)
 * @param ropeScaling         how RoPE is stretched beyond the training length (never null)
 */
public record ModelInfo(
        String architecture,
        int dim,
        int ffnDim,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int vocabSize,
        int contextLength,
        float rmsEps,
        float ropeTheta,
        RopeLayout ropeLayout,
        boolean qkvBias,
        boolean tiedEmbeddings,
        boolean attentionOutputBias,
        RopeScaling ropeScaling) {

    public ModelInfo {
        if (ropeScaling == null) ropeScaling = RopeScaling.NONE;
    }

    /** A model without an output-projection bias and without RoPE scaling (llama2.c, GGUF). */
    public ModelInfo(String architecture, int dim, int ffnDim, int layers, int heads, int kvHeads, int headDim,
            int vocabSize, int contextLength, float rmsEps, float ropeTheta, RopeLayout ropeLayout, boolean qkvBias,
            boolean tiedEmbeddings) {
        this(architecture, dim, ffnDim, layers, heads, kvHeads, headDim, vocabSize, contextLength, rmsEps, ropeTheta,
                ropeLayout, qkvBias, tiedEmbeddings, false, RopeScaling.NONE);
    }

    /** Number of weights (embedding counted once when tied). */
    public long parameterCount() {
        long q = (long) heads * headDim, kv = (long) kvHeads * headDim;
        long perLayer = 2L * dim + 2L * q * dim + 2L * kv * dim + 3L * ffnDim * dim + (qkvBias ? q + 2 * kv : 0)
                + (attentionOutputBias ? dim : 0);
        long embeddings = (long) vocabSize * dim * (tiedEmbeddings ? 1 : 2);
        return perLayer * layers + embeddings + dim;
    }
}
