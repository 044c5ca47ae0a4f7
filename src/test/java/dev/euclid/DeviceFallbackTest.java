package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.euclid.internal.CudaFacts;
import dev.euclid.internal.DeviceSelection;
import dev.euclid.testing.SharedModels;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * On a machine where CUDA cannot be used (every build and CI machine: no GPU), an explicit CUDA
 * device fails with the probe's reason before anything is allocated, and AUTO runs on the CPU with
 * the CPU's tokens.
 */
class DeviceFallbackTest {
    private static final Path MODEL = SharedModels.models().resolve("stories260K/stories260K.bin");

    private static String unusableReason() {
        Optional<String> why = DeviceSelection.unusable(CudaFacts.probe(), 0);
        assumeTrue(why.isPresent(), "CUDA is usable here: the GPU tests (scripts/gpu-check.sh) cover this machine");
        return why.get();
    }

    @Test
    void anExplicitGpuFailsWithTheReasonAndHoldsNothing() {
        String why = unusableReason();
        long before = Diagnostics.nativeBytesInUse();
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                () -> Engine.open(MODEL, EngineOptions.defaults().withDevice(Device.CUDA(0))));
        assertEquals("cannot run on cuda:0: " + why, e.getMessage());
        assertEquals(before, Diagnostics.nativeBytesInUse(), "nothing was allocated");
    }

    @Test
    void theGpusBandwidthIsTheSameReasonToo() {
        String why = unusableReason();
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> Diagnostics.cudaCopyBandwidth(0, 1 << 20));
        assertEquals("cannot run on cuda:0: " + why, e.getMessage());
    }

    @Test
    void autoRunsOnTheCpuWithTheCpusTokens() {
        unusableReason();
        Request r = Request.builder().prompt("Once upon a time").maxTokens(40).build();
        try (Engine cpu = Engine.open(MODEL, EngineOptions.defaults());
                Engine auto = Engine.open(MODEL, EngineOptions.defaults().withDevice(Device.AUTO))) {
            int[] expected = cpu.generate(r).tokenIds();
            assertEquals(40, expected.length);
            assertArrayEquals(expected, auto.generate(r).tokenIds());
            assertEquals("cpu", auto.device());
        }
    }
}
