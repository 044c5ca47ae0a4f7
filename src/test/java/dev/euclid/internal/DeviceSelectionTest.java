package dev.euclid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Device;
import dev.euclid.DeviceUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every reason CUDA can be unusable, on made-up probe results: what AUTO logs and what an explicit CUDA device throws. */
class DeviceSelectionTest {
    private static final CudaFacts USABLE = new CudaFacts(true, "libcuda.so.1", "", 0, 13000, 2);

    private static CudaFacts facts(boolean compiled, String loadError, int init, int version, int count) {
        return new CudaFacts(compiled, "libcuda.so.1", loadError, init, version, count);
    }

    @Test
    void namesWhyCudaIsUnusable() {
        assertEquals(Optional.empty(), DeviceSelection.unusable(USABLE, 1));
        assertReason("built without CUDA", facts(false, "", 0, 13000, 1), 0);
        assertReason("no libcuda.so.1: no NVIDIA driver (libcuda.so.1: cannot open shared object file)",
                facts(true, "libcuda.so.1: cannot open shared object file", -1, 0, 0), 0);
        assertReason("libcuda.so.1 is not a usable NVIDIA driver (no cuMemAlloc_v2)", facts(true, "no cuMemAlloc_v2", -1, 0, 0), 0);
        assertReason("driver 12.4 older than the 13.0 this build needs", facts(true, "", 35, 12040, 0), 0);
        assertReason("no CUDA device", facts(true, "", DeviceSelection.CUDA_ERROR_NO_DEVICE, 13000, 0), 0);
        assertReason("no CUDA device", facts(true, "", 0, 13010, 0), 0);
        assertReason("cuInit failed with CUDA error 999", facts(true, "", 999, 13000, 0), 0);
        assertReason("no CUDA device 2 (this machine has 2)", USABLE, 2);
    }

    @Test
    void aDriverOfTheRequiredVersionOrNewerIsNotTooOld() {
        assertEquals(Optional.empty(), DeviceSelection.unusable(facts(true, "", 0, NativeApi.CUDA_REQUIRED_DRIVER_VERSION, 1), 0));
        assertEquals(Optional.empty(), DeviceSelection.unusable(facts(true, "", 0, 13020, 1), 0));
        assertEquals("12.8", DeviceSelection.version(12080));
    }

    @Test
    void theCpuNeverAsksTheDriver() {
        List<String> log = new ArrayList<>();
        assertEquals(Device.CPU, DeviceSelection.resolve(Device.CPU, () -> {
            throw new AssertionError("the CPU must not probe CUDA");
        }, log::add));
        assertEquals(List.of(), log);
    }

    @Test
    void autoFallsBackToTheCpuWithOneLineSayingWhy() {
        List<String> log = new ArrayList<>();
        assertEquals(Device.CPU, DeviceSelection.resolve(Device.AUTO, () -> facts(true, "", 0, 12020, 1), log::add));
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("CPU") && log.get(0).contains("driver 12.2 older than the 13.0 this build needs"), log.get(0));
    }

    @Test
    void autoTakesAUsableGpuSilently() {
        List<String> log = new ArrayList<>();
        assertEquals(Device.CUDA(0), DeviceSelection.resolve(Device.AUTO, () -> USABLE, log::add));
        assertEquals(List.of(), log);
    }

    @Test
    void anExplicitGpuIsThatGpuOrAnExceptionNamingWhyNot() {
        List<String> log = new ArrayList<>();
        assertEquals(Device.CUDA(1), DeviceSelection.resolve(Device.CUDA(1), () -> USABLE, log::add));
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                () -> DeviceSelection.resolve(Device.CUDA(0), () -> facts(true, "", DeviceSelection.CUDA_ERROR_NO_DEVICE, 13000, 0), log::add));
        assertEquals("cannot run on cuda:0: no CUDA device", e.getMessage());
        assertEquals(List.of(), log, "an explicit device fails instead of logging");
    }

    private static void assertReason(String expected, CudaFacts f, int index) {
        Optional<String> why = DeviceSelection.unusable(f, index);
        assertTrue(why.isPresent(), "unusable: " + f);
        assertTrue(why.get().startsWith(expected), "'" + why.get() + "' starts with '" + expected + "'");
    }
}
