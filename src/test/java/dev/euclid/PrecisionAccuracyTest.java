package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Accuracy of each weight precision on the real model, teacher-forced over the reference
 * sequences, against the FP32 engine. The thresholds come from a straightforward simulation
 * of each format on this model (issue #3): a worse result means a bug, not bad luck.
 */
class PrecisionAccuracyTest {
    @ParameterizedTest(name = "{0}: top-1 >= {1}, KL <= {2}")
    @CsvSource({"fp16, 1.0, 0.001", "bf16, 0.99, 0.01", "int8, 0.985, 0.001", "fp8, 0.94, 0.01", "q4_0, 0.83, 0.095"})
    void teacherForcedAgreementWithFp32(String precision, double minTop1, double maxKl) throws IOException {
        Path model = SharedModels.models().resolve("stories260K/stories260K.bin");
        JsonNode greedy = new ObjectMapper().readTree(SharedModels.models().resolve("stories260K/reference/greedy.json").toFile());
        int agree = 0, total = 0;
        double kl = 0;
        try (Engine fp32 = Engine.open(model);
                Engine quantized = Engine.open(model, EngineOptions.defaults().withWeights(Precision.parse(precision)))) {
            for (JsonNode ref : greedy) {
                int[] ids = Stories260kTest.ids(ref.get("token_ids"));
                int[] input = Arrays.copyOf(ids, ids.length - 1);
                float[][] p = fp32.logits(input), q = quantized.logits(input);
                for (int t = 0; t < input.length; t++) {
                    if (argmax(p[t]) == argmax(q[t])) agree++;
                    kl += klDivergence(p[t], q[t]);
                    total++;
                }
                if (precision.equals("fp16")) {
                    int n = ref.get("n_prompt_tokens").asInt();
                    Completion c = quantized.generate(Request.builder().promptTokens(Arrays.copyOf(ids, n))
                            .maxTokens(ids.length - n).build());
                    assertArrayEquals(Arrays.copyOfRange(ids, n, ids.length), c.tokenIds(), "fp16 greedy ids");
                }
            }
        }
        double top1 = (double) agree / total, meanKl = kl / total;
        System.out.printf("precision accuracy %s: top-1 %.4f, mean KL %.5f over %d tokens%n", precision, top1, meanKl, total);
        assertTrue(top1 >= minTop1, precision + ": top-1 agreement " + top1);
        assertTrue(meanKl <= maxKl, precision + ": mean KL " + meanKl);
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    /** KL(softmax(p) || softmax(q)) in nats. */
    static double klDivergence(float[] p, float[] q) {
        double[] lp = logSoftmax(p), lq = logSoftmax(q);
        double kl = 0;
        for (int i = 0; i < p.length; i++) kl += Math.exp(lp[i]) * (lp[i] - lq[i]);
        return kl;
    }

    private static double[] logSoftmax(float[] x) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : x) max = Math.max(max, v);
        for (float v : x) sum += Math.exp(v - max);
        double log = Math.log(sum);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] - max - log;
        return out;
    }
}
