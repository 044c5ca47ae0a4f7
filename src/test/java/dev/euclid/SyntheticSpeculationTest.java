package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.synthetic.SyntheticModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both drafters on synthetic models (Llama with GQA; Qwen2 with QKV bias, tied head and
 * rotate-half RoPE): greedy and sampled output is unchanged with speculation, for one request and
 * for 16 at once. A drafter trained briefly on random weights guesses poorly, which is fine here:
 * its trees are still verified, and some of their branches accepted.
 */
class SyntheticSpeculationTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "tiny-qwen"})
    void outputIsUnchangedWithEitherDrafterAloneAndInABatchOfSixteen(String shape) {
        Path model = SyntheticModels.resolve("synthetic:" + shape);
        Path drafter = dir.resolve(shape + ".drafter");
        Drafters.train(model, drafter, DrafterTraining.defaults().withSequences(24).withHeldOutSequences(4)
                .withTokensPerSequence(64).withEpochs(2).withDraftTokens(3).withBeams(3).withThreads(2).withSeed(3), null);
        List<Request.Builder> builders = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int[] prompt = new int[3 + i % 5];
            for (int t = 0; t < prompt.length; t++) prompt[t] = (17 * i + 31 * t) % 300;
            Sampling sampling = i % 2 == 0 ? Sampling.greedy() : Sampling.builder().temperature(0.9f).seed(i).build();
            builders.add(Request.builder().promptTokens(prompt).maxTokens(40).stopTokenIds().sampling(sampling));
        }
        try (Engine e = Engine.open(model, EngineOptions.defaults().withSpeculativeStepTokens(64))) {
            e.loadDrafter(drafter);
            List<Completion> plain = new ArrayList<>();
            for (Request.Builder b : builders) plain.add(e.generate(b.speculation(Speculation.off()).build()));
            for (int i = 0; i < 16; i++) { // alone
                Speculation spec = i % 2 == 0 ? Speculation.redrafter(3, 3) : Speculation.promptLookup(3);
                assertArrayEquals(plain.get(i).tokenIds(), e.generate(builders.get(i).speculation(spec).build()).tokenIds(),
                        "request " + i + " alone");
            }
            List<RequestHandle> handles = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Speculation spec = i % 4 == 0 ? Speculation.promptLookup(2) : Speculation.redrafter(1 + i % 3, 1 + i % 4);
                handles.add(e.submit(builders.get(i).speculation(spec).build()));
            }
            for (int i = 0; i < 16; i++) {
                assertArrayEquals(plain.get(i).tokenIds(), handles.get(i).result().join().samples().get(0).tokenIds(),
                        "request " + i + " in the batch");
            }
            double perStep = e.metrics().meanTokensPerVerification();
            System.out.printf("%s: %.2f tokens per verification step%n", shape, perStep);
            assertTrue(perStep > 1.0, "some drafts were accepted: " + perStep);
        }
    }
}
