package dev.euclid.synthetic;

/**
 * float32 ↔ IEEE binary16 (F16) and bfloat16 (BF16) bit conversions with round-to-nearest-even,
 * the rounding PyTorch and numpy use. Java 17 lacks {@code Float.floatToFloat16} (added in 20),
 * hence this class.
 */
public final class HalfFloats {

    private HalfFloats() {
    }

    /** Nearest binary16, ties to even; overflow → ±Inf, NaN stays NaN (quiet, sign kept). */
    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;

        if (exp == 0xFF) {
            // Inf stays Inf; NaN keeps its top payload bits and is forced quiet (never becomes Inf).
            return (short) (mant == 0 ? sign | 0x7C00 : sign | 0x7E00 | (mant >>> 13));
        }
        int e = exp - 127 + 15; // re-biased exponent
        if (e >= 31) {
            return (short) (sign | 0x7C00); // ≥ 2^16, beyond the largest finite half even after rounding
        }
        if (e >= 1) {
            // Normal half: keep 10 of 23 mantissa bits and round on the 13 dropped ones. A carry
            // out of the mantissa correctly bumps the exponent (up to Inf from 65520 on).
            int half = sign | (e << 10) | (mant >>> 13);
            int rest = mant & 0x1FFF;
            if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
                half++;
            }
            return (short) half;
        }
        // Subnormal half (or zero): value = m * 2^(e-14) in units of 2^-24 with the implicit bit
        // restored. Float subnormals (exp == 0) are < 2^-126 and always round to zero.
        if (exp == 0) {
            return (short) sign;
        }
        int shift = 14 - e; // ≥ 14
        if (shift > 24) {
            return (short) sign; // < 2^-25: below half of the smallest subnormal
        }
        int m = mant | 0x800000;
        int half = m >>> shift;
        int rest = m & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
            half++; // may become 0x400, the smallest normal, which is the right answer
        }
        return (short) (sign | half);
    }

    /** Exact widening of binary16 bits to float. */
    public static float f16ToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float magnitude = mant * 0x1.0p-24f; // exact: mant < 2^10
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Nearest bfloat16, ties to even; overflow → ±Inf, NaN stays NaN (quiet). */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((bits >>> 16) | 0x0040); // NaN: truncating could yield Inf, so force quiet
        }
        // Adding 0x7FFF plus the lowest kept bit rounds to nearest, ties to even; the carry
        // propagates into the exponent, turning values ≥ the largest bf16 midpoint into Inf.
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** Exact widening of bfloat16 bits to float. */
    public static float bf16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }
}
