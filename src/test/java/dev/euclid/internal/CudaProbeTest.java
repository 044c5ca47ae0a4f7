package dev.euclid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The native probe on libraries that are no CUDA driver: facts and a reason, never a failed load or a crash. */
class CudaProbeTest {
    @Test
    void aMissingLibraryIsNoDriver() {
        CudaFacts f = CudaFacts.probe("libeuclid-no-such-driver.so.1");
        assertFalse(f.driverLoaded());
        assertTrue(f.loadError().contains("libeuclid-no-such-driver.so.1"), f.loadError());
        assertEquals(-1, f.initResult(), "cuInit was not called");
        assertEquals(0, f.deviceCount());
        String why = DeviceSelection.unusable(f, 0).orElseThrow();
        assertTrue(!f.compiled() || why.startsWith("no libeuclid-no-such-driver.so.1: no NVIDIA driver"), why);
    }

    @Test
    void aLibraryWithoutTheDriverApiIsNoDriver() {
        CudaFacts f = CudaFacts.probe("libm.so.6");
        assertFalse(f.driverLoaded());
        assertEquals("no cuInit", f.loadError());
        String why = DeviceSelection.unusable(f, 0).orElseThrow();
        assertTrue(!f.compiled() || why.equals("libm.so.6 is not a usable NVIDIA driver (no cuInit)"), why);
    }

    @Test
    void probingTwiceGivesTheSameFacts() {
        assertEquals(CudaFacts.probe(), CudaFacts.probe());
        assertEquals(CudaFacts.probe("libm.so.6"), CudaFacts.probe("libm.so.6"));
    }

    @Test
    void theCompiledFlagIsTheLibrarysOwn() {
        assertEquals(NativeApi.cuda_compiled() != 0, CudaFacts.probe().compiled());
    }
}
