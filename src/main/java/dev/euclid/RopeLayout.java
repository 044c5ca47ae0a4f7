package dev.euclid;

import dev.euclid.internal.NativeApi;

/** How rotary position embeddings pair the dimensions of a head. */
public enum RopeLayout {
    /** Pairs (2j, 2j+1): llama2.c and GGUF checkpoints. */
    INTERLEAVED(NativeApi.ROPE_INTERLEAVED),
    /** Pairs (j, j + headDim/2), "rotate_half": Hugging Face checkpoints. */
    HALF(NativeApi.ROPE_HALF);

    private final int code;

    RopeLayout(int code) {
        this.code = code;
    }

    /** The native engine's code for this layout. */
    public int code() {
        return code;
    }
}
