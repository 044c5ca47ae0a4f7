package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.testing.SharedModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Prompt-lookup speculation is lossless: the same tokens with it on and off, greedy or sampled, alone or batched. */
class SpeculativeDecodingTest {
    private static Engine open() {
        return Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"),
                EngineOptions.defaults().withKv(KvOptions.defaults().withBudgetBytes(300L * 16 * 5 * 2 * 32 * 4)));
    }

    @ParameterizedTest(name = "{0} draft tokens")
    @ValueSource(ints = {1, 3, 8})
    void greedyReferenceIdsAreUnchangedAndDraftsAreAccepted(int draftTokens) throws Exception {
        JsonNode greedy = new ObjectMapper().readTree(SharedModels.models().resolve("stories260K/reference/greedy.json").toFile());
        try (Engine e = open()) {
            for (JsonNode ref : greedy) {
                int[] ids = Stories260kTest.ids(ref.get("token_ids"));
                int n = ref.get("n_prompt_tokens").asInt();
                Completion c = e.generate(Request.builder().promptTokens(Arrays.copyOf(ids, n)).maxTokens(ids.length - n)
                        .speculation(Speculation.promptLookup(draftTokens)).build());
                assertArrayEquals(Arrays.copyOfRange(ids, n, ids.length), c.tokenIds());
            }
            // These stories repeat whole phrases, so lookup drafts are often right.
            double perStep = e.metrics().meanTokensPerVerification();
            assertTrue(perStep > 1.3, "tokens per verification step " + perStep);
        }
    }

    @Test
    void sampledOutputIsIdenticalWithAndWithoutSpeculationEvenInABatch() {
        List<Request> plain = new ArrayList<>(), speculative = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Request.Builder b = Request.builder().prompt(i % 2 == 0 ? "Once upon a time" : "Lily wanted to")
                    .maxTokens(120).samples(1 + i % 3).stopTokenIds().logprobs(true)
                    .sampling(Sampling.builder().temperature(0.7f).topP(0.95f).seed(1000 + i).build());
            plain.add(b.build());
            speculative.add(b.speculation(i % 2 == 0 ? Speculation.promptLookup(4) : Speculation.off()).build()); // mixed: some speculate, some don't
        }
        try (Engine e = open()) {
            List<Generation> expected = new ArrayList<>();
            for (Request r : plain) expected.add(e.generateAll(r));
            List<RequestHandle> handles = new ArrayList<>();
            for (Request r : speculative) handles.add(e.submit(r));
            for (int i = 0; i < handles.size(); i++) {
                Generation g = handles.get(i).result().join();
                for (int s = 0; s < g.samples().size(); s++) {
                    assertArrayEquals(expected.get(i).samples().get(s).tokenIds(), g.samples().get(s).tokenIds(), "request " + i);
                    assertArrayEquals(expected.get(i).samples().get(s).logprobs(), g.samples().get(s).logprobs(), 1e-6f);
                }
            }
        }
    }
}
