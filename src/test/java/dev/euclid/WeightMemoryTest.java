package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.testing.SyntheticHfFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine file's weights read from its mapping or from a private copy in transparent huge pages
 * (EngineOptions#mappedWeights): the same model either way, every byte given back on close, and the
 * copy really in huge pages where the kernel offers them.
 */
class WeightMemoryTest {
    // 512 wide, 2 layers: a 22 MB FP32 engine file, far above the 2 MiB from which buffers get huge pages.
    private static final ModelShape SHAPE = new ModelShape(ModelShape.LLAMA, 512, 1024, 2, 8, 4, 64, 1000, 256, 10000.0,
            1e-5, false, false);
    private static final int[] PROMPT = {1, 17, 230, 5, 999, 42};

    @TempDir static Path tmp;
    private static Path file;

    @BeforeAll
    static void build() throws IOException {
        Path folder = SyntheticHfFolder.write(tmp.resolve("model"), SHAPE, 11, DType.F32, 1, Map.of(), false);
        file = EngineBuilder.from(folder).weights(Precision.FP32).build(tmp.resolve("model.euclid"));
    }

    private static int[] generate(Engine engine) {
        return engine.generate(Request.builder().promptTokens(PROMPT).maxTokens(24).stopTokenIds().build()).tokenIds();
    }

    @Test
    void mappedAndCopiedWeightsGiveTheSameTokensAndEveryByteBack() {
        long before = Diagnostics.nativeBytesInUse();
        int[] mapped;
        int[] copied;
        try (Engine e = Engine.open(file, EngineOptions.defaults().withThreads(2).withMappedWeights(true))) {
            mapped = generate(e);
        }
        assertEquals(before, Diagnostics.nativeBytesInUse(), "the mapped engine gave every byte back");
        try (Engine e = Engine.open(file, EngineOptions.defaults().withThreads(2))) {
            copied = generate(e);
        }
        assertEquals(before, Diagnostics.nativeBytesInUse(), "the copied engine gave every byte back");
        assertEquals(24, mapped.length);
        assertArrayEquals(mapped, copied);
    }

    /** Where THP is on (always or madvise), opening the file's copy adds huge pages to this process. */
    @Test
    void theCopyLiesInHugePagesWhereTheKernelOffersThem() throws IOException {
        String thp = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
        boolean offered = !thp.contains("[never]");
        long fileBytes = Files.size(file);
        long mappedGrowth;
        long copiedGrowth;
        long base = anonHugeBytes();
        try (Engine e = Engine.open(file, EngineOptions.defaults().withThreads(2).withMappedWeights(true))) {
            mappedGrowth = anonHugeBytes() - base;
        }
        base = anonHugeBytes();
        try (Engine e = Engine.open(file, EngineOptions.defaults().withThreads(2))) {
            copiedGrowth = anonHugeBytes() - base;
        }
        if (offered) {
            // At least one 2 MiB page more than the mapped engine holds: the mechanism works; how many
            // the kernel finds depends on fragmentation, which a test cannot control.
            assertTrue(copiedGrowth >= mappedGrowth + (2 << 20),
                    "huge pages: copy +" + copiedGrowth + " B, mapping +" + mappedGrowth + " B, file " + fileBytes + " B (" + thp.trim() + ")");
        } else {
            assertEquals(0, copiedGrowth, "THP is off here (" + thp.trim() + "), yet huge pages appeared");
        }
    }

    private static long anonHugeBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
            if (line.startsWith("AnonHugePages:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IllegalStateException("/proc/self/smaps_rollup has no AnonHugePages line");
    }
}
