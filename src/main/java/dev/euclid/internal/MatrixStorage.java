package dev.euclid.internal;

import dev.euclid.Precision;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which format the engine stores each weight matrix in, and how it gets there: the Java mirror
 * of {@code matrix_storage_type} in native/src/model/Model.h, for the weight cap and the log.
 * Every matrix takes the engine's precision, except that an NVFP4 or MXFP4 engine keeps the
 * embedding and the LM head in INT8, and a Q4 engine keeps what a GGUF file quantised (Q4_0 and
 * Q4_1 blocks copied, Q4_K as Q4_1; 5- to 8-bit types, Q2_K, Q3_K, IQ4_NL and IQ4_XS as INT8) and
 * stores rows that are not whole 32-weight blocks as INT8.
 */
public final class MatrixStorage {
    private static final Map<Integer, String> SOURCE_NAMES = Map.ofEntries(
            Map.entry(NativeApi.DTYPE_F32, "F32"), Map.entry(NativeApi.DTYPE_F16, "F16"),
            Map.entry(NativeApi.DTYPE_BF16, "BF16"), Map.entry(NativeApi.DTYPE_Q8_0, "Q8_0"),
            Map.entry(NativeApi.DTYPE_Q4_0, "Q4_0"), Map.entry(NativeApi.DTYPE_Q4_1, "Q4_1"),
            Map.entry(NativeApi.DTYPE_Q4_K, "Q4_K"), Map.entry(NativeApi.DTYPE_Q5_0, "Q5_0"),
            Map.entry(NativeApi.DTYPE_Q5_1, "Q5_1"), Map.entry(NativeApi.DTYPE_Q5_K, "Q5_K"),
            Map.entry(NativeApi.DTYPE_Q6_K, "Q6_K"), Map.entry(NativeApi.DTYPE_Q2_K, "Q2_K"),
            Map.entry(NativeApi.DTYPE_Q3_K, "Q3_K"), Map.entry(NativeApi.DTYPE_IQ4_NL, "IQ4_NL"),
            Map.entry(NativeApi.DTYPE_IQ4_XS, "IQ4_XS"));
    private static final int Q4_BLOCK = 32;

    private MatrixStorage() {}

    static boolean isQ4(Precision p) {
        return p == Precision.Q4_0 || p == Precision.Q4_1;
    }

    /** The precision matrix {@code name} of {@code cols} columns from source {@code dtype} is stored in. */
    public static Precision of(Precision engine, String name, int dtype, long cols) {
        boolean fp4 = engine == Precision.NVFP4 || engine == Precision.MXFP4;
        if (fp4 && (name.equals("tok_embeddings") || name.equals("output"))) return Precision.INT8;
        if (!isQ4(engine)) return engine;
        if (dtype == NativeApi.DTYPE_Q4_0) return Precision.Q4_0;
        if (dtype == NativeApi.DTYPE_Q4_1 || dtype == NativeApi.DTYPE_Q4_K) return Precision.Q4_1;
        if (dtype == NativeApi.DTYPE_F32 || dtype == NativeApi.DTYPE_F16 || dtype == NativeApi.DTYPE_BF16) {
            return cols % Q4_BLOCK == 0 ? engine : Precision.INT8;
        }
        return Precision.INT8;  // the rest, as of() stores them under a Q4 engine
    }

    /**
     * The precision a checkpoint opens in when none is asked for: the Euclid format nearest to the
     * type that holds most of its matrices' weights (Q4_0: Q4_0; Q4_1 and Q4_K: Q4_1; Q5_0, Q5_1,
     * Q5_K, Q6_K, Q8_0, and Q2_K, Q3_K, IQ4_NL and IQ4_XS, whose levels no Q4 block holds: INT8), or
     * {@code floats} where that type is F32, F16 or BF16. A Q4_K_M file
     * (Q4_K with Q6_K beside it) thus runs at 4 bits, as llama.cpp runs it, not decoded to FP32.
     */
    public static Precision nearest(ModelSpec spec, Precision floats) {
        Map<Precision, Long> weights = new java.util.EnumMap<>(Precision.class);
        for (TensorLocation t : spec.tensors()) {
            if (t.shape().length != 2) continue;
            weights.merge(nearest(t.dtype(), floats), t.shape()[0] * t.shape()[1], Long::sum);
        }
        return weights.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(floats);
    }

    private static Precision nearest(int dtype, Precision floats) {
        if (dtype == NativeApi.DTYPE_Q4_0) return Precision.Q4_0;
        if (dtype == NativeApi.DTYPE_Q4_1 || dtype == NativeApi.DTYPE_Q4_K) return Precision.Q4_1;
        if (dtype == NativeApi.DTYPE_F32 || dtype == NativeApi.DTYPE_F16 || dtype == NativeApi.DTYPE_BF16) return floats;
        return Precision.INT8;  // Q5_0, Q5_1, Q5_K, Q6_K, Q8_0, Q2_K, Q3_K, IQ4_NL, IQ4_XS
    }

    /** Bytes a rows x cols matrix takes in {@code p}, scales included. */
    public static long bytes(Precision p, long rows, long cols) {
        long n = Math.multiplyExact(rows, cols);
        return switch (p) {
            case FP32 -> Math.multiplyExact(n, 4L);
            case BF16, FP16 -> Math.multiplyExact(n, 2L);
            case FP8, INT8 -> Math.addExact(n, Math.multiplyExact(rows, 4L));
            // quant/Mx.h: whole blocks per row, the last zero-padded; NVFP4 adds one FP32 scale per matrix.
            case NVFP4 -> Math.addExact(Math.multiplyExact(rows, Math.multiplyExact((cols + 15) / 16, 9L)), 4L);
            case MXFP4 -> Math.multiplyExact(rows, Math.multiplyExact((cols + 31) / 32, 17L));
            case MXFP8 -> Math.multiplyExact(rows, Math.multiplyExact((cols + 31) / 32, 33L));
            case Q4_0 -> Math.multiplyExact(n / Q4_BLOCK, 18L);
            case Q4_1 -> Math.multiplyExact(n / Q4_BLOCK, 20L);
        };
    }

    /** How a source dtype becomes {@code stored}: "copied", "scales rounded to FP16" or "converted". */
    static String how(int dtype, Precision stored) {
        if ((dtype == NativeApi.DTYPE_Q4_0 && stored == Precision.Q4_0)
                || (dtype == NativeApi.DTYPE_Q4_1 && stored == Precision.Q4_1)) {
            return "blocks copied";
        }
        if (dtype == NativeApi.DTYPE_Q4_K && stored == Precision.Q4_1) return "sub-block scales rounded to FP16";
        return "converted";
    }

    /**
     * One line per source type and storage, e.g. "Q4_K -> q4_1 (sub-block scales rounded to FP16):
     * 154 matrices; Q6_K -> int8 (converted): 23 matrices", for the log when a model opens.
     */
    public static String describe(ModelSpec spec, Precision engine) {
        Map<String, Integer> counts = new TreeMap<>();
        for (TensorLocation t : spec.tensors()) {
            if (t.shape().length != 2) continue;
            Precision stored = of(engine, t.name(), t.dtype(), t.shape()[1]);
            String key = SOURCE_NAMES.getOrDefault(t.dtype(), "dtype " + t.dtype()) + " -> " + stored.wireName() + " ("
                    + how(t.dtype(), stored) + ")";
            counts.merge(key, 1, Integer::sum);
        }
        return counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue() + " matrices")
                .collect(Collectors.joining("; "));
    }
}
