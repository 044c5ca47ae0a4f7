package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.testing.SharedModels;
import dev.euclid.testing.TrainedDrafter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trained recurrent drafter inside the engine: its beams, merged into a tree and verified in
 * the batched step, keep the output exactly as without speculation, alone and in a batch of 16
 * with samples, continuation and preemption, while gaining more than two tokens per step.
 */
class RedrafterDecodingTest {
    private static Engine open(long kvBytes) {
        Engine e = Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"), EngineOptions.defaults()
                .withKv(KvOptions.defaults().withBudgetBytes(kvBytes)).withSpeculativeStepTokens(64));
        e.loadDrafter(TrainedDrafter.stories260k());
        return e;
    }

    @Test
    void referenceIdsAreUnchangedAndMoreThanTwoTokensAreKeptPerStep() throws Exception {
        JsonNode greedy = new ObjectMapper().readTree(SharedModels.models().resolve("stories260K/reference/greedy.json").toFile());
        try (Engine e = open(4L << 20)) {
            for (JsonNode ref : greedy) {
                int[] ids = Stories260kTest.ids(ref.get("token_ids"));
                int n = ref.get("n_prompt_tokens").asInt();
                Completion c = e.generate(Request.builder().promptTokens(Arrays.copyOf(ids, n)).maxTokens(ids.length - n)
                        .speculation(Speculation.redrafter(4, 4)).build());
                assertArrayEquals(Arrays.copyOfRange(ids, n, ids.length), c.tokenIds());
            }
            double perStep = e.metrics().meanTokensPerVerification();
            System.out.printf("drafter on the reference prompts: %.2f tokens per verification step%n", perStep);
            assertTrue(perStep >= 2.0, "tokens per verification step " + perStep);
        }
    }

    @Test
    void batchOfSixteenWithSamplesContinuationAndPreemptionIsIdenticalToRunningAlone() {
        String[] prompts = {"Once upon a time", "Lily wanted to", "The dog", "Tom had a big"};
        List<Request.Builder> builders = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Sampling sampling = i % 4 == 0 ? Sampling.greedy()
                    : Sampling.builder().temperature(0.8f).topK(40).seed(90 + i).build();
            builders.add(Request.builder().prompt(prompts[i % prompts.length]).maxTokens(50 + 7 * i).stopTokenIds()
                    .samples(1 + i % 3).logprobs(true).sampling(sampling).priority(i % 2));
        }
        List<Generation> alone = new ArrayList<>();
        try (Engine e = open(4L << 20)) {
            for (Request.Builder b : builders) alone.add(e.generateAll(b.build()));
        }
        // 48 KV blocks of 16 tokens (1,280 bytes a token) for up to 32 sequences: some are preempted.
        try (Engine e = open(48L * 16 * 1280)) {
            List<RequestHandle> handles = new ArrayList<>();
            for (int i = 0; i < builders.size(); i++) {
                Speculation spec = i % 4 == 3 ? Speculation.off() : Speculation.redrafter(1 + i % 4, 1 + i % 3);
                handles.add(e.submit(builders.get(i).speculation(spec).build()));
            }
            for (int i = 0; i < handles.size(); i++) {
                Generation g = handles.get(i).result().join();
                for (int s = 0; s < g.samples().size(); s++) {
                    Completion want = alone.get(i).samples().get(s), got = g.samples().get(s);
                    assertArrayEquals(want.tokenIds(), got.tokenIds(), "request " + i + " sample " + s);
                    assertArrayEquals(want.logprobs(), got.logprobs(), 0f, "request " + i + " sample " + s);
                }
            }
            assertTrue(e.metrics().meanTokensPerVerification() > 1.0, "drafts were accepted");
            assertTrue(e.metrics().preemptions() > 0, "requests were preempted");
            // Continuing a finished sample (a tool's output appended) drafts from the new context.
            Completion first = alone.get(0).samples().get(0);
            Request next = Request.builder().continueFrom(first, e.tokenizer().encode("Then")).maxTokens(40).build();
            Completion plain = e.generate(next);
            Completion drafted = e.generate(Request.builder().continueFrom(first, e.tokenizer().encode("Then")).maxTokens(40)
                    .speculation(Speculation.redrafter(4, 2)).build());
            assertArrayEquals(plain.tokenIds(), drafted.tokenIds());
        }
    }

    @Test
    void aDrafterTrainedForAnotherModelIsRefused() {
        try (Engine other = Engine.open(dev.euclid.synthetic.SyntheticModels.resolve("synthetic:tiny"))) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> other.loadDrafter(TrainedDrafter.stories260k()));
            assertTrue(e.getMessage().contains("another"), e.getMessage());
        }
    }
}
