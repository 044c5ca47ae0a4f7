package dev.euclid.testing;

/**
 * Test-only, deliberately simple re-statement of the weight formats' rounding rules, used to
 * build the exact dequantised weights the engine should compute with: FP8 E4M3 and INT8 with
 * one absmax scale per output row, BF16 and FP16 round-to-nearest-even, Q4_0 and Q4_1 blocks of
 * 32 (ggml's reference rounding; rows that are not whole blocks become INT8, as in the engine).
 */
public final class WeightQuantizer {
    private static final double[] FP8_VALUES = new double[127]; // every non-negative finite E4M3 value, by code

    static {
        for (int code = 0; code < 127; code++) {
            int exp = code >> 3, mant = code & 7;
            FP8_VALUES[code] = exp == 0 ? mant * Math.pow(2, -9) : (1 + mant / 8.0) * Math.pow(2, exp - 7);
        }
    }

    private WeightQuantizer() {}

    /** Returns rows x cols weights as the engine sees them after storing them as {@code precision}. */
    public static float[] roundTrip(float[] w, int rows, int cols, String precision) {
        if (precision.startsWith("q4_")) return cols % 32 == 0 ? q4(w, precision) : roundTrip(w, rows, cols, "int8");
        float[] out = new float[w.length];
        for (int r = 0; r < rows; r++) {
            double absmax = 0;
            for (int c = 0; c < cols; c++) absmax = Math.max(absmax, Math.abs(w[r * cols + c]));
            for (int c = 0; c < cols; c++) {
                float v = w[r * cols + c];
                out[r * cols + c] = switch (precision) {
                    case "fp32" -> v;
                    case "bf16" -> bf16(v);
                    case "fp16" -> fp16(v);
                    case "fp8" -> {
                        float scale = absmax > 0 ? (float) (absmax / 448.0) : 1f;
                        yield (float) (fp8(v / scale)) * scale;
                    }
                    case "int8" -> {
                        float scale = absmax > 0 ? (float) (absmax / 127.0) : 1f;
                        yield (float) Math.max(-127, Math.min(127, Math.rint(v / scale))) * scale;
                    }
                    default -> throw new IllegalArgumentException(precision);
                };
            }
        }
        return out;
    }

    /**
     * FP8 weights as the int8 kernel for INT8 activations holds them (native Vnni16.h): each row's
     * E4M3 values (before the row scale), 32 columns at a time, as int8 q times 2^k, k the smallest
     * with every |value| / 2^k <= 127, q rounded to nearest, ties to even.
     */
    public static float[] fp8AsInt8Blocks(float[] w, int rows, int cols) {
        float[] out = new float[w.length];
        for (int r = 0; r < rows; r++) {
            double absmax = 0;
            for (int c = 0; c < cols; c++) absmax = Math.max(absmax, Math.abs(w[r * cols + c]));
            float scale = absmax > 0 ? (float) (absmax / 448.0) : 1f;
            for (int b = 0; b < cols; b += 32) {
                int end = Math.min(cols, b + 32);
                double[] v = new double[end - b];
                double largest = 0;
                for (int c = b; c < end; c++) {
                    v[c - b] = fp8(w[r * cols + c] / scale);
                    largest = Math.max(largest, Math.abs(v[c - b]));
                }
                int k = 0;
                if (largest > 0) {
                    k = Math.getExponent(largest) - 6;
                    if (Math.scalb(largest, -k) > 127) k++;
                }
                for (int c = b; c < end; c++) out[r * cols + c] = (float) Math.scalb(Math.rint(Math.scalb(v[c - b], -k)), k) * scale;
            }
        }
        return out;
    }

    /** Each 32 weights as a Q4_0 block (d = the largest-magnitude weight / -8) or Q4_1 block, read back. */
    private static float[] q4(float[] w, String precision) {
        float[] out = new float[w.length];
        for (int b = 0; b < w.length; b += 32) {
            float lo = w[b], hi = w[b], amax = 0, max = 0;
            for (int j = b; j < b + 32; j++) {
                lo = Math.min(lo, w[j]);
                hi = Math.max(hi, w[j]);
                if (Math.abs(w[j]) > amax) {
                    amax = Math.abs(w[j]);
                    max = w[j];
                }
            }
            boolean q40 = precision.equals("q4_0");
            float d = q40 ? max / -8 : (hi - lo) / 15, id = d != 0 ? 1 / d : 0;
            float dh = fp16(d), mh = q40 ? -8 * dh : fp16(lo);
            for (int j = b; j < b + 32; j++) {
                int q = Math.min(15, (int) (q40 ? w[j] * id + 8.5f : (w[j] - lo) * id + 0.5f));
                out[j] = (float) Math.fma(dh, q, mh);
            }
        }
        return out;
    }

    /** Nearest E4M3 value, ties to the even code, saturating at 448. */
    static double fp8(float v) {
        double a = Math.min(Math.abs(v), 448.0);
        int best = 0;
        for (int code = 1; code < 127; code++) {
            double d = Math.abs(FP8_VALUES[code] - a), bd = Math.abs(FP8_VALUES[best] - a);
            if (d < bd || (d == bd && (code & 1) == 0)) best = code;
        }
        return Math.copySign(FP8_VALUES[best], v);
    }

    static float bf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(bits & 0xFFFF0000);
    }

    static float fp16(float v) {
        // Round to 11 significant bits (normal range) or to a multiple of 2^-24 (subnormal), ties to even.
        if (v == 0 || Math.abs(v) < 0x1p-24 / 2) return Math.copySign(0f, v);
        int exp = Math.max(Math.getExponent(v), -14);
        double step = Math.pow(2, exp - 10);
        return (float) (Math.rint(v / step) * step);
    }
}
