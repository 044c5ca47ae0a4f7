package dev.euclid.internal.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.EngineOptions;
import dev.euclid.internal.ModelLoader;
import dev.euclid.internal.NativeApi;
import dev.euclid.internal.NativeModel;
import dev.euclid.internal.NativeStepRunner;
import dev.euclid.internal.spec.BaseModelRunner.Sequence;
import dev.euclid.testing.SharedModels;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The native drafter against the Java forward it is trained with, and its boundary checks, on stories260K. */
class NativeDrafterTest {
    private static NativeModel base;
    private static DrafterShape shape;
    private static DrafterNet net;
    private static float[] weights;
    private static Sequence sequence;

    @BeforeAll
    static void open() {
        base = ModelLoader.open(SharedModels.models().resolve("stories260K/stories260K.bin"),
                EngineOptions.defaults().withThreads(2)).model();
        shape = new DrafterShape(base.info().dim(), base.info().vocabSize(), 2);
        float[] embedding = base.tensorF32("tok_embeddings");
        net = new DrafterNet(shape, embedding);
        // Untrained but not trivial: random recurrence and blocks, the base model's head.
        SplittableRandom random = new SplittableRandom(3);
        weights = DrafterTrainer.initialWeights(shape, embedding, random);
        for (int l = 0; l < shape.mlpLayers(); l++) {
            for (int i = 0; i < shape.dim() * shape.dim(); i++) weights[shape.res(l) + i] = (float) (random.nextGaussian() * 0.2);
        }
        try (BaseModelRunner runner = new BaseModelRunner(base, 16)) {
            sequence = runner.run(new int[] {1, 403, 407}, 40, 0, random);
        }
    }

    @AfterAll
    static void close() {
        base.close();
    }

    @Test
    void greedyDraftEqualsTheJavaForward() {
        int length = 6, d = shape.dim();
        try (NativeDrafter drafter = NativeDrafter.create(base, shape, weights)) {
            for (int t : new int[] {2, 10, 25}) {
                float[] h = Arrays.copyOfRange(sequence.hidden(), t * d, (t + 1) * d);
                int[] out = new int[length];
                float[] score = new float[1];
                drafter.proposeHidden(h, 1, new int[] {sequence.tokens()[t + 1]}, 1, length, out, score);

                // Java: feed x_{t+1}, then each argmax, re-running the teacher-forced forward.
                int[] inputs = new int[length + 1];
                inputs[0] = sequence.tokens()[t + 1];
                DrafterNet.Trace trace = net.trace(length);
                double logProb = 0;
                for (int k = 0; k < length; k++) {
                    net.forward(weights, h, 0, inputs, 0, k + 1, trace);
                    float[] logits = trace.logits[k];
                    inputs[k + 1] = DrafterNet.argmax(logits);
                    logProb += logits[inputs[k + 1]] - logSumExp(logits);
                }
                assertArrayEquals(Arrays.copyOfRange(inputs, 1, length + 1), out, "greedy draft at t = " + t);
                assertEquals(logProb, score[0], 1e-3 * Math.max(1, Math.abs(logProb)), "draft log-probability at t = " + t);
            }
        }
    }

    @Test
    void beamsComeBestFirstAndDiffer() {
        int beams = 8, length = 4, d = shape.dim();
        try (NativeDrafter drafter = NativeDrafter.create(base, shape, weights)) {
            int[] out = new int[beams * length];
            float[] scores = new float[beams];
            int[] greedy = new int[length];
            float[] greedyScore = new float[1];
            float[] h = Arrays.copyOfRange(sequence.hidden(), 5 * d, 6 * d);
            int[] token = {sequence.tokens()[6]};
            drafter.proposeHidden(h, 1, token, beams, length, out, scores);
            drafter.proposeHidden(h, 1, token, 1, length, greedy, greedyScore);
            Set<List<Integer>> distinct = new HashSet<>();
            for (int b = 0; b < beams; b++) {
                if (b > 0) assertTrue(scores[b] <= scores[b - 1], "scores descend: " + Arrays.toString(scores));
                distinct.add(Arrays.stream(Arrays.copyOfRange(out, b * length, (b + 1) * length)).boxed().toList());
            }
            assertEquals(beams, distinct.size(), "beams are distinct drafts");
            assertTrue(scores[0] >= greedyScore[0] - 1e-5, "beam search finds at least the greedy draft's score");
        }
    }

    @Test
    void workspaceRowsDraftLikeTheirHiddenStates() {
        int n = 12, beams = 3, length = 5, d = shape.dim();
        try (NativeDrafter drafter = NativeDrafter.create(base, shape, weights);
                NativeStepRunner kv = new NativeStepRunner(base, 4, 16, NativeApi.KVT_F32, 16)) {
            int[] table = {0, 1, 2, 3};
            kv.logits(table, 4, sequence.tokens(), 0, n, 0, new float[n][shape.vocab()], 0);
            int[] rows = {0, 7, 11}, tokens = {sequence.tokens()[1], sequence.tokens()[8], sequence.tokens()[12]};
            int[] fromWs = new int[rows.length * beams * length], fromHidden = new int[fromWs.length];
            float[] hidden = new float[rows.length * d];
            for (int i = 0; i < rows.length; i++) System.arraycopy(sequence.hidden(), rows[i] * d, hidden, i * d, d);
            drafter.propose(kv.workspace(), rows.length, rows, tokens, beams, length, fromWs);
            drafter.proposeHidden(hidden, rows.length, tokens, beams, length, fromHidden, null);
            assertArrayEquals(fromHidden, fromWs);

            int[] out = new int[beams * length];
            assertRefused(() -> drafter.propose(kv.workspace(), 1, new int[] {n}, tokens, beams, length, out), "row 12");
            assertRefused(() -> drafter.propose(kv.workspace(), 1, new int[] {-1}, tokens, beams, length, out), "row -1");
        }
    }

    @Test
    void badArgumentsAreRefusedAtTheBoundary() {
        int d = shape.dim();
        float[] h = Arrays.copyOf(sequence.hidden(), d);
        int[] out = new int[64 * 33];
        try (NativeDrafter drafter = NativeDrafter.create(base, shape, weights)) {
            assertRefused(() -> drafter.proposeHidden(h, 1, new int[] {0}, 65, 2, out, null), "beams");
            assertRefused(() -> drafter.proposeHidden(h, 1, new int[] {0}, 2, 33, out, null), "draft length");
            assertRefused(() -> drafter.proposeHidden(h, 1, new int[] {-1}, 2, 2, out, null), "token id -1");
            assertRefused(() -> drafter.proposeHidden(h, 1, new int[] {shape.vocab()}, 2, 2, out, null), "token id 512");
            assertThrows(IllegalArgumentException.class, () -> drafter.proposeHidden(h, 1, new int[] {0}, 0, 2, out, null));
            assertThrows(IllegalArgumentException.class, () -> drafter.proposeHidden(h, 2, new int[] {0, 0}, 2, 2, out, null));
        }
        try (IntPointer tokens = new IntPointer(1); IntPointer o = new IntPointer(8); FloatPointer hp = new FloatPointer(h);
                NativeApi.DrafterConfig c = new NativeApi.DrafterConfig()) {
            c.dim(d).vocab_size(shape.vocab()).mlp_layers(shape.mlpLayers());
            assertRefused(() -> NativeApi.drafter_propose_hidden(null, base.checked(), hp, 1, tokens, 1, 1, o, null), "drafter is null");
            try (FloatPointer w = new FloatPointer(weights)) {
                NativeApi.Drafter raw = NativeApi.drafter_create(base.checked(), c, w, weights.length);
                try {
                    assertRefused(() -> NativeApi.drafter_propose_hidden(raw, base.checked(), null, 1, tokens, 1, 1, o, null),
                            "hidden states is null");
                    assertRefused(() -> NativeApi.drafter_propose_hidden(raw, base.checked(), hp, 1, null, 1, 1, o, null), "tokens is null");
                    assertRefused(() -> NativeApi.drafter_propose_hidden(raw, base.checked(), hp, 1, tokens, 1, 1, null, null),
                            "output tokens is null");
                    assertRefused(() -> NativeApi.drafter_propose(raw, base.checked(), null, 1, tokens, tokens, 1, 1, o, null),
                            "workspace is null");
                } finally {
                    NativeApi.drafter_free(raw);
                }
                assertRefused(() -> NativeApi.drafter_create(base.checked(), c, w, weights.length - 1), "need " + weights.length);
                assertRefused(() -> NativeApi.drafter_create(base.checked(), c, null, weights.length), "weights is null");
                c.mlp_layers(17);
                assertRefused(() -> NativeApi.drafter_create(base.checked(), c, w, weights.length), "mlp_layers");
                c.mlp_layers(shape.mlpLayers()).dim(d + 1);
                assertRefused(() -> NativeApi.drafter_create(base.checked(), c, w, weights.length), "does not fit a model of dim 64");
            }
        }
        float[] nan = weights.clone();
        nan[shape.head() + 5] = Float.NaN;
        assertRefused(() -> NativeDrafter.create(base, shape, nan).close(), "not a finite number");
        assertRefused(() -> base.tensorF32("layers.0.attention_norm", 64), "is not a weight matrix");
        assertRefused(() -> base.tensorF32("nope", 64), "is not a weight matrix");
        assertRefused(() -> base.tensorF32("layers.0.wq"), "has 4096 elements, not 32768");
    }

    private static void assertRefused(Runnable call, String messagePart) {
        RuntimeException e = assertThrows(RuntimeException.class, call::run);
        assertTrue(e.getMessage() != null && e.getMessage().contains(messagePart),
                "expected a message containing '" + messagePart + "', got: " + e.getMessage());
    }

    private static double logSumExp(float[] x) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : x) max = Math.max(max, v);
        for (float v : x) sum += Math.exp(v - max);
        return max + Math.log(sum);
    }
}
