package dev.euclid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernels dispatch to a known path, and EUCLID_ISA forces the one a test run asks for. */
class KernelIsaTest {
    @Test
    void dispatchedPathIsKnownAndHonoursTheOverride() {
        NativeApi.load();
        String isa = NativeApi.kernel_isa();
        assertTrue(List.of("avx512", "avx2", "scalar").contains(isa), isa);
        String forced = System.getenv("EUCLID_ISA");
        if (forced != null) assertEquals(forced, isa);
    }
}
