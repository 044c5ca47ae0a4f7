package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.testing.SharedModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Draft trees are verified in one pass and stay lossless: beams that share prefixes, accepted
 * paths off the first beam (whose K/V moves from tree slots to positions, across block
 * boundaries), every KV type, batched with sequences that do not speculate.
 */
class DraftTreeVerificationTest {
    private static Engine open(KvType type, int blockTokens) {
        return open(type, blockTokens, 64);
    }

    private static Engine open(KvType type, int blockTokens, int stepTokens) {
        return Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"), EngineOptions.defaults()
                .withKv(KvOptions.defaults().withType(type).withBlockTokens(blockTokens).withBudgetBytes(4L << 20))
                .withSpeculativeStepTokens(stepTokens));
    }

    /**
     * Knows the right continuations of some sequences and hides them in a tree: beam 0 is wrong from
     * its first token, beam 1 is right, beam 2 shares beam 1's first two tokens and then goes wrong.
     */
    static DraftProposer hidingProposer(List<int[]> known) {
        return (tokens, length, max) -> {
            for (int[] seq : known) {
                if (seq.length <= length || !Arrays.equals(seq, 0, length, tokens, 0, length)) continue;
                int[] right = Arrays.copyOfRange(seq, length, Math.min(seq.length, length + max));
                int[] wrong = right.clone();
                wrong[0] = (wrong[0] + 1) % 512;
                int[] partly = right.clone();
                if (partly.length > 2) partly[2] = (partly[2] + 7) % 512;
                return new int[][] {wrong, right, partly};
            }
            return new int[0][];
        };
    }

    @ParameterizedTest(name = "{0} KV, blocks of {1}")
    @CsvSource({"FP32, 16", "FP32, 1", "FP16, 16", "FP8, 3"})
    void greedyOutputIsUnchangedWhenTheAcceptedBeamIsNotTheFirst(KvType type, int blockTokens) throws Exception {
        JsonNode greedy = new ObjectMapper().readTree(SharedModels.models().resolve("stories260K/reference/greedy.json").toFile());
        try (Engine e = open(type, blockTokens)) {
            List<int[]> expected = new ArrayList<>();
            List<Request.Builder> requests = new ArrayList<>();
            for (JsonNode ref : greedy) {
                int[] ids = Stories260kTest.ids(ref.get("token_ids"));
                int n = ref.get("n_prompt_tokens").asInt();
                Request.Builder b = Request.builder().promptTokens(Arrays.copyOf(ids, n)).maxTokens(ids.length - n);
                Completion plain = e.generate(b.build());
                int[] full = Arrays.copyOf(ids, n + plain.tokenIds().length);
                System.arraycopy(plain.tokenIds(), 0, full, n, plain.tokenIds().length);
                expected.add(full);
                requests.add(b);
            }
            for (int i = 0; i < requests.size(); i++) {
                Completion c = e.generate(requests.get(i).speculation(Speculation.proposer(hidingProposer(expected), 5)).build());
                int n = greedy.get(i).get("n_prompt_tokens").asInt();
                assertArrayEquals(Arrays.copyOfRange(expected.get(i), n, expected.get(i).length), c.tokenIds());
            }
            // The right beam is always in the tree: every step accepts up to 5 drafts (fewer at the end).
            double perStep = e.metrics().meanTokensPerVerification();
            assertTrue(perStep > 5.0, "tokens per verification step " + perStep);
        }
    }

    @Test
    void sampledBatchOfSixteenIsIdenticalToRunningAlone() {
        List<Request.Builder> builders = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            builders.add(Request.builder().prompt(i % 2 == 0 ? "Once upon a time" : "Lily wanted to").maxTokens(60)
                    .samples(1 + i % 3).stopTokenIds().logprobs(true)
                    .sampling(Sampling.builder().temperature(0.8f).topP(0.95f).seed(500 + i).build()));
        }
        try (Engine e = open(KvType.FP32, 16)) {
            List<Generation> expected = new ArrayList<>();
            List<int[]> known = new ArrayList<>();
            for (Request.Builder b : builders) {
                Generation g = e.generateAll(b.build());
                expected.add(g);
                for (Completion c : g.samples()) {
                    int[] full = Arrays.copyOf(g.promptTokenIds(), g.promptTokenIds().length + c.tokenIds().length);
                    System.arraycopy(c.tokenIds(), 0, full, g.promptTokenIds().length, c.tokenIds().length);
                    known.add(full);
                }
            }
            List<RequestHandle> handles = new ArrayList<>();
            for (int i = 0; i < builders.size(); i++) {
                // A third decode without drafts, a third with the hiding proposer, a third with lookup.
                Speculation spec = switch (i % 3) {
                    case 0 -> Speculation.off();
                    case 1 -> Speculation.proposer(hidingProposer(known), 4);
                    default -> Speculation.promptLookup(3);
                };
                handles.add(e.submit(builders.get(i).speculation(spec).build()));
            }
            for (int i = 0; i < handles.size(); i++) {
                Generation g = handles.get(i).result().join();
                for (int s = 0; s < g.samples().size(); s++) {
                    Completion want = expected.get(i).samples().get(s), got = g.samples().get(s);
                    assertArrayEquals(want.tokenIds(), got.tokenIds(), "request " + i + " sample " + s);
                    assertArrayEquals(want.logprobs(), got.logprobs(), 0f, "request " + i + " sample " + s);
                }
            }
        }
    }

    @Test
    void draftsShareTheStepTokenBudget() {
        JsonNode ref;
        try {
            ref = new ObjectMapper().readTree(SharedModels.models().resolve("stories260K/reference/greedy.json").toFile()).get(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int[] ids = Stories260kTest.ids(ref.get("token_ids"));
        int n = ref.get("n_prompt_tokens").asInt();
        Request.Builder b = Request.builder().promptTokens(Arrays.copyOf(ids, n)).maxTokens(ids.length - n)
                .speculation(Speculation.proposer((t, len, max) -> new int[][] {
                        Arrays.copyOfRange(ids, len, Math.min(ids.length, len + max))}, 8)); // always right
        try (Engine e = open(KvType.FP32, 16, 4)) { // alone: the root and at most 3 drafts per step
            assertArrayEquals(Arrays.copyOfRange(ids, n, ids.length), e.generate(b.build()).tokenIds());
            double perStep = e.metrics().meanTokensPerVerification();
            assertTrue(perStep > 3.0 && perStep <= 4.0, "tokens per verification step " + perStep);
        }
        try (Engine e = open(KvType.FP32, 16, 4)) { // four samples decoding together fill the budget: no drafts
            for (Completion c : e.generateAll(b.samples(4).build()).samples()) {
                assertArrayEquals(Arrays.copyOfRange(ids, n, ids.length), c.tokenIds());
            }
            assertEquals(0.0, e.metrics().meanTokensPerVerification());
        }
    }

    @Test
    void aProposerReturningBadTokensFailsOnlyItsRequest() {
        try (Engine e = open(KvType.FP32, 16)) {
            Request good = Request.builder().prompt("Once upon a time").maxTokens(30).build();
            Completion want = e.generate(good);
            RequestHandle bad = e.submit(Request.builder().prompt("Lily wanted to").maxTokens(30)
                    .speculation(Speculation.proposer((t, n, max) -> new int[][] {{99999}}, 2)).build());
            RequestHandle throwing = e.submit(Request.builder().prompt("Lily wanted to").maxTokens(30)
                    .speculation(Speculation.proposer((t, n, max) -> { throw new IllegalStateException("proposer broke"); }, 2))
                    .build());
            RequestHandle ok = e.submit(good);
            CompletionException ex = assertThrows(CompletionException.class, () -> bad.result().join());
            assertInstanceOf(IllegalArgumentException.class, ex.getCause());
            assertTrue(ex.getCause().getMessage().contains("outside the vocabulary"), ex.getCause().getMessage());
            CompletionException ex2 = assertThrows(CompletionException.class, () -> throwing.result().join());
            assertEquals("proposer broke", ex2.getCause().getMessage());
            assertArrayEquals(want.tokenIds(), ok.result().join().samples().get(0).tokenIds());
            assertEquals(0, e.kvStats().usedBlocks());
        }
    }

    @Test
    void drafterRequestsNeedALoadedDrafter() {
        try (Engine e = open(KvType.FP32, 16)) {
            RequestHandle h = e.submit(Request.builder().prompt("Once").maxTokens(5)
                    .speculation(Speculation.redrafter(3, 2)).build());
            CompletionException ex = assertThrows(CompletionException.class, () -> h.result().join());
            assertTrue(ex.getCause().getMessage().contains("loadDrafter"), ex.getCause().getMessage());
        }
    }
}
