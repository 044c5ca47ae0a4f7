package dev.euclid.cli.bench;

import dev.euclid.Activations;
import dev.euclid.Precision;
import dev.euclid.synthetic.GgufWriter;

/**
 * One engine and weight format of the comparison suite. Euclid runs engine files built from the
 * synthetic model's Hugging Face folder, with FP32 activations unless a contender says INT8 (then
 * on the same engine file as its FP32-activation twin); llama.cpp runs GGUF files written from the
 * same seed (Q4_K_M: quantised from the F16 one by llama.cpp's own llama-quantize). Euclid Q4_0 and
 * Q4_K_M_A8 run engine files built from llama.cpp's own files of those types.
 */
public enum Contender {
    EUCLID_FP16("Euclid", "FP16", Precision.FP16, Activations.FP32, null, null),
    EUCLID_FP8("Euclid", "FP8", Precision.FP8, Activations.FP32, null, null),
    EUCLID_FP8_B16("Euclid", "FP8_B16", Precision.FP8, Activations.BF16, null, null),
    EUCLID_INT8("Euclid", "INT8", Precision.INT8, Activations.FP32, null, null),
    EUCLID_INT8_A8("Euclid", "INT8_A8", Precision.INT8, Activations.INT8, null, null),
    EUCLID_NVFP4("Euclid", "NVFP4", Precision.NVFP4, Activations.FP32, null, null),
    EUCLID_NVFP4_A8("Euclid", "NVFP4_A8", Precision.NVFP4, Activations.INT8, null, null),
    EUCLID_MXFP4("Euclid", "MXFP4", Precision.MXFP4, Activations.FP32, null, null),
    EUCLID_MXFP4_A8("Euclid", "MXFP4_A8", Precision.MXFP4, Activations.INT8, null, null),
    EUCLID_MXFP8("Euclid", "MXFP8", Precision.MXFP8, Activations.FP32, null, null),
    /** Built from llama.cpp's Q4_0 GGUF below (its blocks copied): the very same weights. */
    EUCLID_Q4_0("Euclid", "Q4_0", Precision.Q4_0, Activations.FP32, null, null),
    EUCLID_Q4_0_A8("Euclid", "Q4_0_A8", Precision.Q4_0, Activations.INT8, null, null),
    /**
     * Euclid on llama.cpp's Q4_K_M file below, as a user who downloads such a file runs it: built into
     * a Q4_1 engine file, its nearest format (Q4_K blocks as Q4_1, Q6_K and the rest as INT8), with
     * INT8 activations.
     */
    EUCLID_Q4_K_M_A8("Euclid", "Q4_K_M_A8", Precision.Q4_1, Activations.INT8, null, "Q4_K_M"),
    LLAMA_F16("llama.cpp", "F16", null, null, GgufWriter.WeightType.F16, null),
    LLAMA_Q8_0("llama.cpp", "Q8_0", null, null, GgufWriter.WeightType.Q8_0, null),
    LLAMA_Q4_0("llama.cpp", "Q4_0", null, null, GgufWriter.WeightType.Q4_0, null),
    /**
     * The file CPU users of llama.cpp download most: {@code llama-quantize}'s Q4_K_M mix of the F16 GGUF
     * (Q4_K, some matrices Q6_K). Only with a native llama.cpp build, whose folder holds llama-quantize.
     */
    LLAMA_Q4_K_M("llama.cpp", "Q4_K_M", null, null, null, "Q4_K_M");

    private final String engine;
    private final String weights;
    private final Precision precision;
    private final Activations activations;
    private final GgufWriter.WeightType ggufType;
    private final String llamaQuantizeType;

    Contender(String engine, String weights, Precision precision, Activations activations, GgufWriter.WeightType ggufType,
            String llamaQuantizeType) {
        this.engine = engine;
        this.weights = weights;
        this.precision = precision;
        this.activations = activations;
        this.ggufType = ggufType;
        this.llamaQuantizeType = llamaQuantizeType;
    }

    /** How Euclid's matrix products take their input (weights named _A8: INT8; null for llama.cpp). */
    public Activations activations() {
        return activations;
    }

    public String engine() {
        return engine;
    }

    public String weights() {
        return weights;
    }

    /** "Euclid FP16", "llama.cpp Q8_0". */
    public String label() {
        return engine + " " + weights;
    }

    public boolean isEuclid() {
        return precision != null;
    }

    /** Euclid's precision (null for llama.cpp). */
    public Precision precision() {
        return precision;
    }

    /** The GGUF matrix type Euclid's GGUF writer stores llama.cpp's file in (null for Euclid and llama-quantize's files). */
    public GgufWriter.WeightType ggufType() {
        return ggufType;
    }

    /**
     * The llama-quantize type ("Q4_K_M") of the file made from the F16 GGUF that llama.cpp runs, or
     * that Euclid's engine file is built from; null for the others.
     */
    public String llamaQuantizeType() {
        return llamaQuantizeType;
    }

    /** The ratios the suite reports: each Euclid precision against the llama.cpp format of about as many bytes. */
    public static Contender baselineOf(Contender euclid) {
        return switch (euclid) {
            case EUCLID_FP16 -> LLAMA_F16;
            case EUCLID_FP8, EUCLID_FP8_B16, EUCLID_INT8, EUCLID_INT8_A8, EUCLID_MXFP8 -> LLAMA_Q8_0;
            case EUCLID_NVFP4, EUCLID_NVFP4_A8, EUCLID_MXFP4, EUCLID_MXFP4_A8, EUCLID_Q4_0, EUCLID_Q4_0_A8 -> LLAMA_Q4_0;
            case EUCLID_Q4_K_M_A8 -> LLAMA_Q4_K_M;
            default -> throw new IllegalArgumentException(euclid + " is not a Euclid contender");
        };
    }
}
