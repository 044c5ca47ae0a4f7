package dev.euclid;

import dev.euclid.internal.NativeApi;
import java.util.Objects;

/**
 * How a checkpoint stretches rotary position embeddings beyond the length it was trained on: a
 * Hugging Face {@code rope_scaling} entry, with every default and derived value already resolved
 * (the engine computes the frequencies from these numbers alone, as transformers does).
 *
 * @param type                 which scaling; {@link Type#NONE} ignores every other field
 * @param factor               how many times longer the context becomes (>= 1)
 * @param originalMaxPositions llama3 and yarn: the training length; dynamic: the length beyond
 *                             which the base grows (transformers uses max_position_embeddings)
 * @param lowFreqFactor        llama3: wavelengths above originalMaxPositions / lowFreqFactor are
 *                             divided by the factor
 * @param highFreqFactor       llama3: wavelengths below originalMaxPositions / highFreqFactor are kept
 * @param betaFast             yarn: pairs turning more often than this over the original length keep
 *                             their frequency
 * @param betaSlow             yarn: pairs turning less often than this are divided by the factor
 * @param truncate             yarn: the ramp between them starts and ends on whole pairs
 * @param attentionFactor      multiplies RoPE's cos and sin (yarn's mscale); 1 for the other types
 */
public record RopeScaling(Type type, float factor, int originalMaxPositions, float lowFreqFactor,
        float highFreqFactor, float betaFast, float betaSlow, boolean truncate, float attentionFactor) {

    /** The scaling types. */
    public enum Type {
        /** Plain RoPE. */
        NONE(NativeApi.ROPE_SCALING_NONE),
        /** Every frequency divided by the factor (position interpolation). */
        LINEAR(NativeApi.ROPE_SCALING_LINEAR),
        /** NTK-aware: the base grows with the sequence length beyond originalMaxPositions. */
        DYNAMIC(NativeApi.ROPE_SCALING_DYNAMIC),
        /** Llama 3.1: low frequencies divided by the factor, high ones kept, a smooth ramp between. */
        LLAMA3(NativeApi.ROPE_SCALING_LLAMA3),
        /** YaRN: a ramp between kept and divided frequencies; cos and sin scaled by attentionFactor. */
        YARN(NativeApi.ROPE_SCALING_YARN);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        /** The native engine's code for this type. */
        public int code() {
            return code;
        }
    }

    /** No scaling. */
    public static final RopeScaling NONE = new RopeScaling(Type.NONE, 1, 0, 1, 4, 32, 1, true, 1);

    public RopeScaling {
        Objects.requireNonNull(type, "type");
    }

    public static RopeScaling linear(float factor) {
        return new RopeScaling(Type.LINEAR, factor, 0, 1, 4, 32, 1, true, 1);
    }

    public static RopeScaling dynamic(float factor, int originalMaxPositions) {
        return new RopeScaling(Type.DYNAMIC, factor, originalMaxPositions, 1, 4, 32, 1, true, 1);
    }

    public static RopeScaling llama3(float factor, int originalMaxPositions, float lowFreqFactor,
            float highFreqFactor) {
        return new RopeScaling(Type.LLAMA3, factor, originalMaxPositions, lowFreqFactor, highFreqFactor, 32, 1,
                true, 1);
    }

    public static RopeScaling yarn(float factor, int originalMaxPositions, float betaFast, float betaSlow,
            boolean truncate, float attentionFactor) {
        return new RopeScaling(Type.YARN, factor, originalMaxPositions, 1, 4, betaFast, betaSlow, truncate,
                attentionFactor);
    }
}
