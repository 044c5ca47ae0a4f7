package dev.euclid.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.Generation;
import dev.euclid.KvOptions;
import dev.euclid.Request;
import dev.euclid.RequestHandle;
import dev.euclid.Sampling;
import dev.euclid.Speculation;
import dev.euclid.testing.SharedModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shared Java runtime over the CUDA backend: paged KV, speculation, batch invariance, out of memory. */
@Tag("gpu")
class CudaEngineTest {
    private static final Path MODEL = SharedModels.models().resolve("stories260K/stories260K.bin");

    @BeforeEach
    void gpu() {
        Gpu.require();
    }

    /** Samples sharing a prompt's blocks (holes, copy-on-write, prefix hits) draw the CPU's tokens. */
    @Test
    void pagedKvWithSharedPromptsIsTheCpus() {
        EngineOptions o = EngineOptions.defaults().withKv(KvOptions.defaults().withBlockTokens(4));
        Request r = Request.builder().prompt("Once upon a time, there was a little")
                .sampling(Sampling.builder().temperature(0.8f).seed(7).build()).samples(6).maxTokens(40).build();
        try (Engine cpu = Engine.open(MODEL, o); Engine gpu = Gpu.open(MODEL, o)) {
            for (int round = 0; round < 2; round++) {  // the second round hits the prefix cache
                Generation a = cpu.generateAll(r), b = gpu.generateAll(r);
                for (int i = 0; i < 6; i++) {
                    assertArrayEquals(a.samples().get(i).tokenIds(), b.samples().get(i).tokenIds(), "round " + round + " sample " + i);
                }
            }
        }
    }

    /** Draft trees verified on the GPU keep exactly the tokens of plain greedy decoding. */
    @Test
    void speculativeDecodingIsLossless() {
        Request plain = Request.builder().prompt("Once upon a time").maxTokens(80).build();
        Request lookup = Request.builder().prompt("Once upon a time").maxTokens(80).speculation(Speculation.promptLookup(4)).build();
        try (Engine gpu = Gpu.open(MODEL, EngineOptions.defaults())) {
            assertArrayEquals(gpu.generate(plain).tokenIds(), gpu.generate(lookup).tokenIds());
        }
    }

    /** A seeded request draws the same tokens alone and among seven others. */
    @Test
    void resultsDoNotDependOnTheBatch() {
        Request mine = Request.builder().prompt("The cat").sampling(Sampling.builder().temperature(1f).seed(42).build())
                .maxTokens(50).build();
        try (Engine gpu = Gpu.open(MODEL, EngineOptions.defaults())) {
            int[] alone = gpu.generate(mine).tokenIds();
            List<RequestHandle> others = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                others.add(gpu.submit(Request.builder().prompt("Lily went to the park number " + i)
                        .sampling(Sampling.builder().temperature(1f).seed(i).build()).maxTokens(70).build()));
            }
            Completion together = gpu.submit(mine).result().join().samples().get(0);
            others.forEach(h -> h.result().join());
            assertArrayEquals(alone, together.tokenIds());
        }
    }

    /** The copy bandwidth bench --bandwidth divides by: a datacenter GPU's is above 100 GB/s (T4: 320 GB/s peak). */
    @Test
    void copyBandwidthIsAGpusBandwidth() {
        double bw = dev.euclid.Diagnostics.cudaCopyBandwidth(0, 1L << 30);
        System.out.printf("device-to-device copy bandwidth: %.0f GB/s%n", bw / 1e9);
        assertTrue(bw > 1e11 && bw < 2e13, bw + " bytes/s");
    }

    /** A KV cache larger than the GPU is a clear exception, and the GPU stays usable. */
    @Test
    void outOfDeviceMemoryIsAnExceptionNotACrash() {
        EngineOptions huge = EngineOptions.defaults().withKv(KvOptions.defaults().withBudgetBytes(1L << 42));
        RuntimeException e = assertThrows(RuntimeException.class, () -> Gpu.open(MODEL, huge).close());
        assertTrue(e.getMessage().contains("out of memory"), e.getMessage());
        try (Engine gpu = Gpu.open(MODEL, EngineOptions.defaults())) {
            assertEquals(20, gpu.generate(Request.of("Once upon a time", 20)).tokenIds().length);
        }
    }
}
