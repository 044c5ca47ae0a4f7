package dev.euclid;

/** Architecture of a loaded model, as read from its checkpoint. */
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
        boolean tiedEmbeddings) {

    /** Number of weights (embedding counted once when tied). */
    public long parameterCount() {
        long q = (long) heads * headDim, kv = (long) kvHeads * headDim;
        long perLayer = 2L * dim + 2L * q * dim + 2L * kv * dim + 3L * ffnDim * dim + (qkvBias ? q + 2 * kv : 0);
        long embeddings = (long) vocabSize * dim * (tiedEmbeddings ? 1 : 2);
        return perLayer * layers + embeddings + dim;
    }
}
