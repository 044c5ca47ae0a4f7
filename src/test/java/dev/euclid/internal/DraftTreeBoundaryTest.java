package dev.euclid.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.EngineOptions;
import dev.euclid.Sampling;
import dev.euclid.internal.kv.SequenceBlocks;
import dev.euclid.internal.spec.DraftTree;
import dev.euclid.testing.SharedModels;
import org.junit.jupiter.api.Test;

/** The native step and K/V move refuse malformed draft trees, holes and slots with a message, never a crash. */
class DraftTreeBoundaryTest {
    @Test
    void malformedTreesHolesAndSlotsAreRefused() {
        ModelLoader.Loaded loaded = ModelLoader.open(SharedModels.models().resolve("stories260K/stories260K.bin"),
                EngineOptions.defaults());
        try (NativeModel model = loaded.model(); KvRuntime runtime = new KvRuntime(model, EngineOptions.defaults())) {
            SequenceBlocks seq = runtime.blocks().open(new int[] {1, 2, 3}, false, 0);
            runtime.blocks().ensure(seq, 80, new int[80], runtime.kv()::copyBlock);
            StepBatch b = new StepBatch(4, 128);
            b.addTree(seq, 3, DraftTree.chain(new int[] {4, 5, 6}, 3), 2, Sampling.greedy(), 0);
            b.parents[2] = 2; // token 2 hanging below itself
            RuntimeException e = assertThrows(RuntimeException.class, () -> runtime.kv().run(b));
            assertTrue(e.getMessage().contains("must be an earlier token"), e.getMessage());
            b.parents[2] = -1;
            assertThrows(RuntimeException.class, () -> runtime.kv().run(b));
            b.parents[2] = 1;
            b.sampleModes[0] = 7;
            e = assertThrows(RuntimeException.class, () -> runtime.kv().run(b));
            assertTrue(e.getMessage().contains("sampling mode 7"), e.getMessage());

            b.clear();
            b.addTree(seq, 3, DraftTree.chain(new int[64], 64), 2, Sampling.greedy(), 0);
            e = assertThrows(RuntimeException.class, () -> runtime.kv().run(b));
            assertTrue(e.getMessage().contains("draft tree of 65 tokens"), e.getMessage());

            b.clear();
            b.add(seq, new int[] {7}, 0, 1, 2, Sampling.greedy(), 3, 0, 0);
            b.holes[1] = 16; // a hole of a whole block
            e = assertThrows(RuntimeException.class, () -> runtime.kv().run(b));
            assertTrue(e.getMessage().contains("hole of sequence 0"), e.getMessage());
            b.holes[0] = 3; // a hole after the fed position
            b.holes[1] = 2;
            e = assertThrows(RuntimeException.class, () -> runtime.kv().run(b));
            assertTrue(e.getMessage().contains("hole of sequence 0"), e.getMessage());
            b.holes[0] = 2;
            b.holes[1] = -1;
            assertThrows(RuntimeException.class, () -> runtime.kv().run(b));

            int[] table = seq.table();
            e = assertThrows(RuntimeException.class,
                    () -> runtime.kv().moveTokens(table, seq.blockCount(), new int[] {5}, new int[] {16 * seq.blockCount()}, 1));
            assertTrue(e.getMessage().contains("outside a block table"), e.getMessage());
            assertThrows(RuntimeException.class, () -> runtime.kv().moveTokens(table, seq.blockCount(), new int[] {-1}, new int[] {0}, 1));
            runtime.blocks().free(seq);
        }
    }
}
