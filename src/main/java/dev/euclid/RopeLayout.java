package dev.euclid;

/** How rotary position embeddings pair the dimensions of a head. */
public enum RopeLayout {
    /** Pairs (2j, 2j+1): llama2.c and GGUF checkpoints. */
    INTERLEAVED,
    /** Pairs (j, j + headDim/2), "rotate_half": Hugging Face checkpoints. */
    HALF
}
