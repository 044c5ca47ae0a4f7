package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.HfFolderWriter;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.testing.ReferenceForward;
import dev.euclid.testing.SharedModels;
import dev.euclid.synthetic.SyntheticTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The paged KV cache: block sizes, sharing between samples, prefix caching, KV precisions, leaks. */
class PagedKvTest {
    @TempDir Path tmp;

    private static Path stories() {
        return SharedModels.models().resolve("stories260K/stories260K.bin");
    }

    private static JsonNode greedyReference() throws IOException {
        return new ObjectMapper().readTree(SharedModels.models().resolve("stories260K/reference/greedy.json").toFile());
    }

    private static Engine open(Path model, KvOptions kv) {
        return Engine.open(model, EngineOptions.defaults().withKv(kv));
    }

    /** The leak check every test ends with: no block is referenced any more. */
    private static void assertAllBlocksReleased(Engine e) {
        KvStats s = e.kvStats();
        assertEquals(0, s.usedBlocks(), "blocks still referenced: " + s);
        assertEquals(s.totalBlocks(), s.freeBlocks() + s.cachedBlocks(), s.toString());
    }

    @ParameterizedTest(name = "block size {0}")
    @ValueSource(ints = {1, 16, 64})
    void greedyIdsMatchTheReferenceForAnyBlockSize(int blockTokens) throws IOException {
        try (Engine e = open(stories(), KvOptions.defaults().withBlockTokens(blockTokens))) {
            for (JsonNode ref : greedyReference()) {
                int[] ids = Stories260kTest.ids(ref.get("token_ids"));
                int n = ref.get("n_prompt_tokens").asInt();
                Completion c = e.generate(Request.builder().promptTokens(Arrays.copyOf(ids, n)).maxTokens(ids.length - n).build());
                assertArrayEquals(Arrays.copyOfRange(ids, n, ids.length), c.tokenIds(), "block size " + blockTokens);
            }
            assertAllBlocksReleased(e);
        }
    }

    @ParameterizedTest(name = "block size {0}")
    @ValueSource(ints = {1, 16, 64})
    void syntheticGqaModelMatchesTheJavaReferenceForAnyBlockSize(int blockTokens) throws IOException {
        ModelShape shape = new ModelShape(ModelShape.LLAMA, 64, 96, 2, 8, 2, 8, 300, 160, 10000, 1e-5, false, false);
        SyntheticModel model = new SyntheticModel(shape, 3);
        Path dir = tmp.resolve("gqa");
        HfFolderWriter.write(dir, model, DType.F32, 1, SyntheticTokenizer.byteLevelJson(shape.vocab()));
        int[] prompt = {5, 80, 17, 230, 99, 4, 61, 12, 140, 7, 33, 201, 9, 77, 18, 250, 3, 42, 8, 150};
        int[] expected = ReferenceForward.of(model).greedy(prompt, 100);
        try (Engine e = open(dir, KvOptions.defaults().withBlockTokens(blockTokens))) {
            Completion c = e.generate(Request.builder().promptTokens(prompt).maxTokens(100).stopTokenIds().build());
            assertArrayEquals(expected, c.tokenIds());
            assertAllBlocksReleased(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        // 17 tokens: one full block shared read-only, one position in a partial block copied on write.
        "Once upon a time, there was a little girl named Lily. She",
        // 25 tokens: 9 positions in the partial block, which the samples share, leaving a hole after it.
        "Tom and his dog went to the park to play with a big red ball. They"})
    void eightSamplesEqualEachSampleRunAloneFromScratch(String prompt) {
        Sampling sampling = Sampling.builder().temperature(1.0f).topP(0.95f).seed(100).build();
        List<Completion> together;
        try (Engine e = open(stories(), KvOptions.defaults().withBudgetBytes(64 * blockBytes()))) {
            Generation g = e.generateAll(Request.builder().prompt(prompt).maxTokens(60).sampling(sampling).samples(8)
                    .stopTokenIds().build());
            together = g.samples();
            assertEquals(8, together.size());
            assertAllBlocksReleased(e);
        }
        List<String> distinct = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            try (Engine alone = open(stories(), KvOptions.defaults())) {
                Completion c = alone.generate(Request.builder().prompt(prompt).maxTokens(60).stopTokenIds()
                        .sampling(sampling.toBuilder().seed(100 + i).build()).build());
                assertArrayEquals(c.tokenIds(), together.get(i).tokenIds(), "sample " + i);
                assertEquals(c.text(), together.get(i).text());
            }
            if (!distinct.contains(together.get(i).text())) distinct.add(together.get(i).text());
        }
        assertTrue(distinct.size() >= 6, "samples should differ: " + distinct.size() + " distinct of 8");
    }

    @Test
    void samplesShareThePromptBlocksAndLeaveOneHoleInsteadOfCopyingThePartialBlock() {
        try (Engine e = open(stories(), KvOptions.defaults().withBudgetBytes(64 * blockBytes()))) {
            int[] prompt = new int[100];
            for (int i = 0; i < prompt.length; i++) prompt[i] = 3 + (i * 37) % 500;
            e.generateAll(Request.builder().promptTokens(prompt).maxTokens(17).samples(8).stopTokenIds()
                    .sampling(Sampling.builder().temperature(1f).seed(1).build()).build());
            // 100 prompt positions: 6 full blocks and a 7th holding 4, all shared by the 8 samples. Each
            // sample writes its 16 new positions (the 17th token is sampled, never fed) from the next
            // block boundary on, leaving the shared block's 12 free slots empty: 7 + 8 x 1 blocks. Copying
            // the partial block on write instead would take 6 + 8 x 2 (4 prompt + 12 new in the copy, 4 in
            // one more block), and 8 unshared sequences 8 x 8.
            assertEquals(7 + 8, e.kvStats().peakUsedBlocks());
            assertAllBlocksReleased(e);
        }
        try (Engine e = open(stories(), KvOptions.defaults().withBudgetBytes(64 * blockBytes()))) {
            int[] prompt = new int[97];
            for (int i = 0; i < prompt.length; i++) prompt[i] = 3 + (i * 37) % 500;
            e.generateAll(Request.builder().promptTokens(prompt).maxTokens(17).samples(2).stopTokenIds()
                    .sampling(Sampling.builder().temperature(1f).seed(1).build()).build());
            // One filled slot in the shared block: a hole would waste 15 slots, one copy repeats 1, so the
            // first sample copies it and the second writes in place: 6 + 2 x 2 blocks.
            assertEquals(6 + 2 * 2, e.kvStats().peakUsedBlocks());
            assertAllBlocksReleased(e);
        }
    }

    private static long blockBytes() {
        try (Engine probe = open(stories(), KvOptions.defaults())) {
            return probe.kvStats().bytesPerToken() * 16;
        }
    }

    @Test
    void prefixCacheReusesTheSharedPromptAndGivesTheSameTokens() {
        int[] a = new int[40];
        for (int i = 0; i < a.length; i++) a[i] = 3 + (i * 53) % 500;
        int[] suffix = {400, 401, 402, 403, 404, 405, 406, 407, 408, 409};
        int[] aPlusSuffix = Stories260kTest.concat(a, suffix);
        Request second = Request.builder().promptTokens(aPlusSuffix).maxTokens(30).stopTokenIds().build();
        Completion fresh;
        try (Engine e = open(stories(), KvOptions.defaults())) {
            fresh = e.generate(second);
        }
        try (Engine e = open(stories(), KvOptions.defaults())) {
            e.generate(Request.builder().promptTokens(a).maxTokens(5).stopTokenIds().build());
            KvStats before = e.kvStats();
            Completion reused = e.generate(second);
            KvStats after = e.kvStats();
            assertArrayEquals(fresh.tokenIds(), reused.tokenIds());
            // A's two full blocks (32 of its 40 tokens) come from the cache; the rest is computed.
            assertEquals(32, after.prefixHitTokens() - before.prefixHitTokens());
            assertEquals(aPlusSuffix.length - 32, after.prefixMissTokens() - before.prefixMissTokens());
            assertAllBlocksReleased(e);
        }
        try (Engine e = open(stories(), KvOptions.defaults().withPrefixCaching(false))) {
            e.generate(Request.builder().promptTokens(a).maxTokens(5).stopTokenIds().build());
            assertArrayEquals(fresh.tokenIds(), e.generate(second).tokenIds());
            assertEquals(0, e.kvStats().prefixHitTokens());
            assertEquals(0, e.kvStats().cachedBlocks());
        }
    }

    @Test
    void cachedBlocksAreEvictedWhenSpaceIsNeededAndResultsStayRight() {
        // A pool of 40 blocks of 16 (640 positions): each request below needs 20-30 blocks, so every
        // new prompt evicts cached blocks of earlier ones.
        long bytesPerBlock;
        try (Engine probe = open(stories(), KvOptions.defaults())) {
            bytesPerBlock = probe.kvStats().bytesPerToken() * 16;
        }
        try (Engine e = open(stories(), KvOptions.defaults().withBudgetBytes(40 * bytesPerBlock))) {
            assertEquals(40, e.kvStats().totalBlocks());
            assertEquals(640, e.kvTokensFor(40 * bytesPerBlock));
            List<int[]> outputs = new ArrayList<>();
            String[] prompts = {"Once upon a time", "Lily wanted to", "Once upon a time", "The dog", "Lily wanted to"};
            for (String p : prompts) {
                outputs.add(e.generate(Request.builder().prompt(p).maxTokens(400).stopTokenIds().build()).tokenIds());
                assertAllBlocksReleased(e);
            }
            assertArrayEquals(outputs.get(0), outputs.get(2));
            assertArrayEquals(outputs.get(1), outputs.get(4));
            assertNotEquals(Arrays.toString(outputs.get(0)), Arrays.toString(outputs.get(3)));
        }
    }

    @Test
    void aRequestThatCanNeverFitIsRejectedUpFrontSayingHowMuchFits() {
        try (Engine e = open(stories(), KvOptions.defaults().withBudgetBytes(1))) {
            throw new AssertionError("a budget below one block must be refused");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("holds no block"), expected.getMessage());
        }
        long bytesPerBlock;
        try (Engine probe = open(stories(), KvOptions.defaults())) {
            bytesPerBlock = probe.kvStats().bytesPerToken() * 16;
        }
        try (Engine e = open(stories(), KvOptions.defaults().withBudgetBytes(10 * bytesPerBlock))) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> e.generate(Request.builder().prompt("Once upon a time").maxTokens(300).build()));
            assertTrue(ex.getMessage().contains("holds 160 tokens"), ex.getMessage());
            assertAllBlocksReleased(e);
            // A request that fits still runs on the same engine.
            assertEquals(100, e.generate(Request.builder().prompt("Once upon a time").maxTokens(100).stopTokenIds().build())
                    .tokenIds().length);
        }
    }

    @Test
    void fp16KvGivesTheReferenceGreedyIds() throws IOException {
        try (Engine e = open(stories(), KvOptions.defaults().withType(KvType.FP16))) {
            for (JsonNode ref : greedyReference()) {
                int[] ids = Stories260kTest.ids(ref.get("token_ids"));
                int n = ref.get("n_prompt_tokens").asInt();
                Completion c = e.generate(Request.builder().promptTokens(Arrays.copyOf(ids, n)).maxTokens(ids.length - n).build());
                assertArrayEquals(Arrays.copyOfRange(ids, n, ids.length), c.tokenIds());
            }
        }
    }

    @Test
    void fp8KvStaysCloseToFp32Kv() throws IOException {
        TeacherForcedComparison c;
        try (Engine f32 = open(stories(), KvOptions.defaults());
                Engine f8 = open(stories(), KvOptions.defaults().withType(KvType.FP8))) {
            c = TeacherForcedComparison.of(f32, f8, PrecisionAccuracyTest.referenceSequences());
            assertAllBlocksReleased(f8);
        }
        assertTrue(c.top1Agreement() >= 0.95, "top-1 agreement " + c.top1Agreement());
        assertTrue(c.klDivergence() <= 0.01, "mean KL " + c.klDivergence());
    }
}
