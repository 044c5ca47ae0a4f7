package dev.euclid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.euclid.Activations;
import dev.euclid.Precision;
import org.junit.jupiter.api.Test;

/** What a model opened with activations that do not suit its weight format logs: a warning, or a hint. */
class ActivationsWithoutKernelTest {
    @Test
    void formatsWithTheirKernelOpenQuietly() {
        for (Precision p : new Precision[] {Precision.INT8, Precision.Q4_0, Precision.Q4_1, Precision.NVFP4, Precision.MXFP4}) {
            assertNull(ModelLoader.activationsWithoutKernel(p, Activations.INT8), p.name());
        }
        for (Precision p : new Precision[] {Precision.BF16, Precision.FP16, Precision.FP8, Precision.MXFP8}) {
            assertNull(ModelLoader.activationsWithoutKernel(p, Activations.BF16), p.name());
        }
        for (Precision p : Precision.values()) assertNull(ModelLoader.activationsWithoutKernel(p, Activations.FP32), p.name());
    }

    @Test
    void theOthersAreToldWhichModeIsFast() {
        assertEquals("fp8 weights have no int8 dot-product kernel: INT8 activations change the numbers but not the speed"
                + " (BF16 activations are this format's fast mode)", ModelLoader.activationsWithoutKernel(Precision.FP8, Activations.INT8));
        assertEquals("nvfp4 weights have no BF16 dot-product kernel: BF16 activations change the numbers but not the speed"
                + " (INT8 activations are this format's fast mode)", ModelLoader.activationsWithoutKernel(Precision.NVFP4, Activations.BF16));
        assertEquals("fp32 weights have no int8 dot-product kernel: INT8 activations change the numbers but not the speed",
                ModelLoader.activationsWithoutKernel(Precision.FP32, Activations.INT8));
    }

    @Test
    void fourBitFormatsWithFp32ActivationsAreToldAboutInt8() {
        for (Precision p : new Precision[] {Precision.Q4_0, Precision.Q4_1, Precision.NVFP4, Precision.MXFP4}) {
            String hint = ModelLoader.fasterActivations(p, Activations.FP32);
            assertEquals(p.wireName() + " weights decode about 1.3-1.8x faster and prefill 2-3.5x faster with INT8 activations"
                    + " (--activations int8, EngineOptions.withActivations(Activations.INT8)), at a small cost in accuracy", hint);
            assertNull(ModelLoader.fasterActivations(p, Activations.INT8), p.name());
        }
        // INT8 weights gain at prefill but not at batch 1, and the 8-bit and float formats have no int8 kernel gain to offer.
        for (Precision p : new Precision[] {Precision.FP32, Precision.FP16, Precision.BF16, Precision.FP8, Precision.INT8, Precision.MXFP8}) {
            assertNull(ModelLoader.fasterActivations(p, Activations.FP32), p.name());
        }
    }
}
