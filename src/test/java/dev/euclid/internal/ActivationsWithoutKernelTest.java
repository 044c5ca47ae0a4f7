package dev.euclid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.euclid.Activations;
import dev.euclid.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What a model opened with activations that do not suit its weight format logs: a warning, or a
 * hint. Which kernels exist depends on the CPU: FP8's int8 products need AVX2 or AVX-512 (its 16-row
 * copy), the BF16 products AVX-512 BF16; INT8, Q4_0, Q4_1, NVFP4 and MXFP4 have int8 products on every CPU.
 */
class ActivationsWithoutKernelTest {
    private static final boolean AVX512 = loadedIsa().equals("avx512");
    private static final boolean COPIES = !loadedIsa().equals("scalar");
    private static final boolean BF16 = AVX512 && cpuFlag("avx512_bf16");

    private static String loadedIsa() {
        NativeApi.load();
        return NativeApi.kernel_isa();
    }

    private static boolean cpuFlag(String flag) {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).matches("(?s).*\\bflags\\s*:[^\\n]*\\b" + flag + "\\b.*");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/cpuinfo", e);
        }
    }

    @Test
    void formatsWithTheirKernelOpenQuietly() {
        for (Precision p : new Precision[] {Precision.INT8, Precision.Q4_0, Precision.Q4_1, Precision.NVFP4, Precision.MXFP4}) {
            assertNull(ModelLoader.activationsWithoutKernel(p, Activations.INT8), p.name());
        }
        assertEquals(COPIES, ModelLoader.activationsWithoutKernel(Precision.FP8, Activations.INT8) == null);
        for (Precision p : new Precision[] {Precision.BF16, Precision.FP16, Precision.FP8, Precision.MXFP8}) {
            assertEquals(BF16, ModelLoader.activationsWithoutKernel(p, Activations.BF16) == null, p.name());
        }
        for (Precision p : Precision.values()) assertNull(ModelLoader.activationsWithoutKernel(p, Activations.FP32), p.name());
    }

    @Test
    void theOthersAreToldWhichModeIsFast() {
        assertEquals(COPIES ? null : "fp8 weights have no int8 dot-product kernel: INT8 activations change the numbers but not"
                + " the speed" + (BF16 ? " (BF16 activations are this format's fast mode)" : ""),
                ModelLoader.activationsWithoutKernel(Precision.FP8, Activations.INT8));
        assertEquals("nvfp4 weights have no BF16 dot-product kernel: BF16 activations change the numbers but not the speed"
                + " (INT8 activations are this format's fast mode)",
                ModelLoader.activationsWithoutKernel(Precision.NVFP4, Activations.BF16));
        assertEquals("fp32 weights have no int8 dot-product kernel: INT8 activations change the numbers but not the speed",
                ModelLoader.activationsWithoutKernel(Precision.FP32, Activations.INT8));
    }

    @Test
    void fourBitFormatsWithFp32ActivationsAreToldAboutInt8() {
        for (Precision p : new Precision[] {Precision.Q4_0, Precision.Q4_1, Precision.NVFP4, Precision.MXFP4}) {
            String hint = ModelLoader.fasterActivations(p, Activations.FP32);
            assertEquals(p.wireName() + " weights decode about 1.3-4x faster and prefill 2-4x faster with INT8"
                    + " activations (--activations int8, EngineOptions.withActivations(Activations.INT8)), at a small cost in"
                    + " accuracy", hint, p.name());
            assertNull(ModelLoader.fasterActivations(p, Activations.INT8), p.name());
        }
        // INT8 weights gain at prefill but not at batch 1, and the 8-bit and float formats have no int8 kernel gain to offer.
        for (Precision p : new Precision[] {Precision.FP32, Precision.FP16, Precision.BF16, Precision.FP8, Precision.INT8, Precision.MXFP8}) {
            assertNull(ModelLoader.fasterActivations(p, Activations.FP32), p.name());
        }
    }

    /** The native answer for an unknown code is an error naming it, not a guess. */
    @Test
    void unknownCodesAreRefused() {
        NativeApi.load();
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> NativeApi.activations_kernel(99, Activations.INT8.code()));
        assertEquals(true, e.getMessage().contains("unknown weight type 99"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> NativeApi.activations_kernel(Precision.FP8.code(), 7));
        assertEquals(true, e.getMessage().contains("unknown activation type 7"), e.getMessage());
    }
}
