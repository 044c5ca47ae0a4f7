package dev.euclid.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    private static int f16(float f) {
        return HalfFloats.floatToF16(f) & 0xFFFF;
    }

    private static int bf16(float f) {
        return HalfFloats.floatToBf16(f) & 0xFFFF;
    }

    @Test
    void f16KnownValues() {
        assertEquals(0x0000, f16(0.0f));
        assertEquals(0x8000, f16(-0.0f));
        assertEquals(0x3C00, f16(1.0f));
        assertEquals(0xC000, f16(-2.0f));
        assertEquals(0x3555, f16(1.0f / 3));
        assertEquals(0x2E66, f16(0.1f));
        assertEquals(0x7BFF, f16(65504f));               // largest finite half
        assertEquals(0x7BFF, f16(65519.996f));           // just below the midpoint to "65536"
        assertEquals(0x7C00, f16(65520f));               // midpoint, ties to even = Inf
        assertEquals(0x7C00, f16(1e6f));
        assertEquals(0xFC00, f16(-1e30f));
        assertEquals(0x7C00, f16(Float.POSITIVE_INFINITY));
        assertEquals(0xFC00, f16(Float.NEGATIVE_INFINITY));
        assertEquals(0x0400, f16(0x1.0p-14f));           // smallest normal
        assertEquals(0x03FF, f16(1023 * 0x1.0p-24f));    // largest subnormal
        assertEquals(0x0001, f16(0x1.0p-24f));           // smallest subnormal
        assertEquals(0x0000, f16(0x1.0p-25f));           // tie between 0 and 2^-24: even = 0
        assertEquals(0x0001, f16(Math.nextUp(0x1.0p-25f)));
        assertEquals(0x0002, f16(3 * 0x1.0p-25f));       // tie between 1 and 2 ulps: even = 2
        assertEquals(0x0002, f16(5 * 0x1.0p-25f));       // tie between 2 and 3 ulps: even = 2
        assertEquals(0x8001, f16(-0x1.0p-24f));
        assertEquals(0x0000, f16(Float.MIN_VALUE));
        assertEquals(0x8000, f16(-Float.MIN_VALUE));
        assertEquals(0x3C00, f16(1 + 0x1.0p-11f));       // tie, even mantissa kept
        assertEquals(0x3C02, f16(1 + 3 * 0x1.0p-11f));   // tie, rounds up to even
        assertEquals(0x3C01, f16(1 + 0x1.0p-11f + 0x1.0p-20f));
        assertEquals(0x0400, f16(Math.nextDown(0x1.0p-14f))); // subnormal rounding carries into normal
        int nan = f16(Float.NaN);
        assertEquals(0x7C00, nan & 0x7C00);
        assertTrue((nan & 0x03FF) != 0, "NaN must stay NaN");
        int payloadNan = f16(Float.intBitsToFloat(0x7F800001)); // payload lost by truncation
        assertTrue((payloadNan & 0x7C00) == 0x7C00 && (payloadNan & 0x03FF) != 0, "signalling NaN must not become Inf");
        assertEquals(0x8000, f16(Float.intBitsToFloat(0xFFC00000)) & 0x8000);
    }

    @Test
    void f16ToFloatKnownValues() {
        assertEquals(1.0f, HalfFloats.f16ToFloat((short) 0x3C00));
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7BFF));
        assertEquals(0x1.0p-24f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(-0x1.0p-14f, HalfFloats.f16ToFloat((short) 0x8400));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.f16ToFloat((short) 0xFC00));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) 0x8000)));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0x7E00)));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0x7C01)));
    }

    @Test
    void f16RoundTripsEveryBitPattern() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.f16ToFloat((short) h);
            if (Float.isNaN(f)) {
                int back = f16(f);
                assertTrue((back & 0x7C00) == 0x7C00 && (back & 0x3FF) != 0, "NaN " + Integer.toHexString(h));
            } else {
                assertEquals(h, f16(f), "pattern " + Integer.toHexString(h));
            }
        }
    }

    /** Every midpoint between adjacent halves ties to the even one; one float ulp either side does not. */
    @Test
    void f16RoundsEveryMidpointToEven() {
        for (int h = 0; h < 0x7C00; h++) {
            double lo = HalfFloats.f16ToFloat((short) h);
            double hi = HalfFloats.f16ToFloat((short) (h + 1)); // 0x7C00 is Inf; use 65536 as its "value"
            if (h + 1 == 0x7C00) {
                hi = 65536.0;
            }
            float mid = (float) ((lo + hi) / 2); // exact: halves have 11 significant bits
            assertEquals((lo + hi) / 2, mid, 0.0);
            int even = (h & 1) == 0 ? h : h + 1;
            for (int sign : new int[] {0, 0x8000}) {
                float m = sign == 0 ? mid : -mid;
                assertEquals(even | sign, f16(m), "midpoint above " + Integer.toHexString(h));
                assertEquals(h | sign, f16(sign == 0 ? Math.nextDown(mid) : -Math.nextDown(mid)));
                assertEquals((h + 1) | sign, f16(sign == 0 ? Math.nextUp(mid) : -Math.nextUp(mid)));
            }
        }
    }

    @Test
    void bf16KnownValues() {
        assertEquals(0x3F80, bf16(1.0f));
        assertEquals(0xC000, bf16(-2.0f));
        assertEquals(0x8000, bf16(-0.0f));
        assertEquals(0x3DCD, bf16(0.1f));                    // 0x3DCCCCCD rounds up
        assertEquals(0x3F80, bf16(1 + 0x1.0p-8f));           // tie, even kept
        assertEquals(0x3F82, bf16(1 + 3 * 0x1.0p-8f));       // tie, up to even
        assertEquals(0x3F81, bf16(1 + 0x1.0p-8f + 0x1.0p-20f));
        assertEquals(0x7F7F, bf16(Float.intBitsToFloat(0x7F7F7FFF)));
        assertEquals(0x7F80, bf16(Float.MAX_VALUE));         // above the last midpoint: Inf
        assertEquals(0x7F80, bf16(Float.POSITIVE_INFINITY));
        assertEquals(0xFF80, bf16(Float.NEGATIVE_INFINITY));
        assertEquals(0x0000, bf16(Float.MIN_VALUE));          // float subnormal tie-free: rounds to 0
        assertEquals(0x0001, bf16(Float.intBitsToFloat(0x00010000)));
        assertEquals(0x0080, bf16(Float.MIN_NORMAL));
        int nan = bf16(Float.intBitsToFloat(0x7F800001));   // truncation would give Inf
        assertTrue((nan & 0x7F80) == 0x7F80 && (nan & 0x7F) != 0, "NaN must stay NaN");
        assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3F80));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.bf16ToFloat((short) 0xFF80));
    }

    @Test
    void bf16RoundTripsAndTiesToEven() {
        for (int b = 0; b < 0x10000; b++) {
            float f = HalfFloats.bf16ToFloat((short) b);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(f))));
                continue;
            }
            assertEquals(b, bf16(f));
            int mag = b & 0x7FFF;
            if (mag < 0x7F80) {
                // midpoint to the next magnitude (the float with bit 15 set below it)
                int midBits = (b << 16) | 0x8000;
                int even = (mag & 1) == 0 ? b : b + 1;
                assertEquals(even, bf16(Float.intBitsToFloat(midBits)), Integer.toHexString(b));
                assertEquals(b, bf16(Float.intBitsToFloat(midBits - 1)));
                assertEquals(b + 1, bf16(Float.intBitsToFloat(midBits + 1)));
            }
        }
    }
}
