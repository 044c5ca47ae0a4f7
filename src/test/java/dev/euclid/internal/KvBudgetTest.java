package dev.euclid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Engine;
import dev.euclid.Generation;
import dev.euclid.KvOptions;
import dev.euclid.KvStats;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.testing.SharedModels;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The KV pool's size: an explicit budget, and the default sized against available memory. */
class KvBudgetTest {
    private static final long BLOCK_BYTES = 1000;
    private static final int CONTEXT = 512;
    private static final long BLOCKS_PER_SEQUENCE = CONTEXT / 16;

    @Test
    void anExplicitBudgetBuysWholeBlocksWhateverTheMemory() {
        KvOptions k = KvOptions.defaults().withBudgetBytes(10 * BLOCK_BYTES + 999);
        assertEquals(10, KvBudget.blocks(CONTEXT, k, BLOCK_BYTES, OptionalLong.of(1)));
        assertEquals(10, KvBudget.blocks(CONTEXT, k, BLOCK_BYTES, OptionalLong.empty()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KvBudget.blocks(CONTEXT, KvOptions.defaults().withBudgetBytes(999), BLOCK_BYTES, OptionalLong.empty()));
        assertTrue(e.getMessage().contains("holds no block"), e.getMessage());
    }

    @Test
    void theDefaultHoldsSixtyFourFullContextSequencesWhenMemoryAllows() {
        long blocks = KvBudget.blocks(CONTEXT, KvOptions.defaults(), BLOCK_BYTES, OptionalLong.of(1L << 40));
        assertEquals(KvOptions.DEFAULT_BUDGET_SEQUENCES * BLOCKS_PER_SEQUENCE + 1, blocks);
        assertEquals(blocks, KvBudget.blocks(CONTEXT, KvOptions.defaults(), BLOCK_BYTES, OptionalLong.empty()),
                "without a memory figure, the sequence count alone");
        assertEquals(64 * 512 + 1, KvBudget.blocks(CONTEXT, KvOptions.defaults().withBlockTokens(1), BLOCK_BYTES,
                OptionalLong.of(1L << 40)), "a partial last block counts whole");
    }

    @Test
    void theDefaultTakesAtMostItsShareOfAvailableMemoryButOneSequenceAtLeast() {
        long tenSequences = 10 * BLOCKS_PER_SEQUENCE * BLOCK_BYTES;
        long available = (long) Math.ceil(tenSequences / KvOptions.DEFAULT_BUDGET_MEMORY_SHARE) + 5 * BLOCK_BYTES;
        assertEquals(10 * BLOCKS_PER_SEQUENCE + 1, KvBudget.blocks(CONTEXT, KvOptions.defaults(), BLOCK_BYTES,
                OptionalLong.of(available)));
        assertEquals(BLOCKS_PER_SEQUENCE + 1, KvBudget.blocks(CONTEXT, KvOptions.defaults(), BLOCK_BYTES,
                OptionalLong.of(0)), "one sequence of the full context even when memory is short");
    }

    @Test
    void onAGpuTheDefaultTakesNinetyPercentOfFreeDeviceMemory() {
        long tenSequences = 10 * BLOCKS_PER_SEQUENCE * BLOCK_BYTES;
        long free = (long) Math.ceil(tenSequences / KvOptions.DEFAULT_DEVICE_MEMORY_SHARE) + 5 * BLOCK_BYTES;
        assertEquals(10 * BLOCKS_PER_SEQUENCE + 1, KvBudget.deviceBlocks(CONTEXT, KvOptions.defaults(), BLOCK_BYTES, free));
        assertEquals(2 * BLOCKS_PER_SEQUENCE + 1, KvBudget.blocks(CONTEXT, KvOptions.defaults(), BLOCK_BYTES, OptionalLong.of(free)),
                "the host's share is a quarter");
        assertEquals(BLOCKS_PER_SEQUENCE + 1, KvBudget.deviceBlocks(CONTEXT, KvOptions.defaults(), BLOCK_BYTES, -5),
                "one sequence even when the workspace leaves nothing");
        assertEquals(7, KvBudget.deviceBlocks(CONTEXT, KvOptions.defaults().withBudgetBytes(7 * BLOCK_BYTES), BLOCK_BYTES, 0),
                "an explicit budget whatever the GPU has");
    }

    @Test
    void readsMemAvailableAndTheCgroupHeadroom() {
        String meminfo = "MemTotal:       24683784 kB\nMemFree:        15944116 kB\nMemAvailable:   18601488 kB\n";
        assertEquals(OptionalLong.of(18601488L * 1024), AvailableMemory.memAvailable(meminfo));
        assertEquals(OptionalLong.empty(), AvailableMemory.memAvailable("MemTotal: 1 kB\n"));
        assertEquals(OptionalLong.of(3L << 30), AvailableMemory.headroom("4294967296\n", "1073741824\n"));
        assertEquals(OptionalLong.empty(), AvailableMemory.headroom("max\n", "1073741824\n"), "cgroup v2 without a limit");
        assertEquals(OptionalLong.empty(), AvailableMemory.headroom("9223372036854771712\n", "1\n"), "cgroup v1 without a limit");
        assertEquals(OptionalLong.of(0), AvailableMemory.headroom("100\n", "200\n"), "over the limit: nothing left");
        assertTrue(AvailableMemory.bytes().isPresent(), "this Linux machine reports its available memory");
    }

    /** The README's batched example: 12 samples of 200 tokens under the default options. */
    @Test
    void theDefaultEngineAdmitsTwelveSamplesOfTwoHundredTokens() {
        try (Engine engine = Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"))) {
            Generation g = engine.generateAll(Request.builder().prompt("Once upon a time").maxTokens(200).samples(12)
                    .sampling(Sampling.builder().temperature(0.8f).seed(7).build()).build());
            assertEquals(12, g.samples().size());
            g.samples().forEach(c -> assertTrue(c.tokenIds().length > 0));
            KvStats kv = engine.kvStats();
            long perSequence = (engine.info().contextLength() + kv.blockTokens() - 1) / kv.blockTokens();
            assertTrue(kv.totalBlocks() > 12 * perSequence, "more than 12 full-context sequences fit: " + kv);
            assertTrue(kv.totalBlocks() <= KvOptions.DEFAULT_BUDGET_SEQUENCES * perSequence + 1, kv.toString());
        }
    }
}
