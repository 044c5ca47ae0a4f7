package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.Engine;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code euclid quality} on stories260K and its own reference story. */
class QualityCommandTest {
    private static final Path MODEL = SharedModels.models().resolve("stories260K/stories260K.bin");

    private static String story() throws IOException {
        JsonNode greedy = new ObjectMapper().readTree(SharedModels.models().resolve("stories260K/reference/greedy.json").toFile());
        return greedy.get(0).get("prompt").asText() + greedy.get(0).get("text").asText();
    }

    private static JsonNode quality(Path text, String... extra) throws IOException {
        String[] args = {"quality", "--model", MODEL.toString(), "--text-file", text.toString(), "--threads", "2", "--json"};
        CliRun r = CliRun.of(concat(args, extra));
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void fp32AgreesWithItselfAndItsPerplexityIsTheTextsMeanLikelihood(@TempDir Path dir) throws IOException {
        String story = story();
        Path text = Files.writeString(dir.resolve("story.txt"), story);
        JsonNode q = quality(text, "--weights", "fp32");
        assertEquals(1.0, q.get("top1_agreement").asDouble());
        assertEquals(0.0, q.get("kl_divergence").asDouble(), 1e-12);
        assertEquals(q.get("perplexity_fp32").asDouble(), q.get("perplexity").asDouble());
        // Recomputed here from the engine's logits: exp of the mean negative log-likelihood of each next token.
        try (Engine e = Engine.open(MODEL)) {
            int[] ids = e.tokenizer().encode(story);
            assertEquals(ids.length - 1, q.get("tokens_scored").asLong(), "one window");
            float[][] logits = e.logits(Arrays.copyOf(ids, ids.length - 1));
            double nll = 0;
            for (int t = 0; t < logits.length; t++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (float v : logits[t]) max = Math.max(max, v);
                for (float v : logits[t]) sum += Math.exp(v - max);
                nll -= logits[t][ids[t + 1]] - max - Math.log(sum);
            }
            assertEquals(Math.exp(nll / logits.length), q.get("perplexity").asDouble(), 1e-9);
        }
    }

    @Test
    void fourBitWeightsFollowFp32LessCloselyThanMxfp8(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("story.txt"), story());
        JsonNode mxfp8 = quality(text, "--weights", "mxfp8"), nvfp4 = quality(text, "--weights", "nvfp4", "--kv-dtype", "fp8");
        assertEquals(mxfp8.get("perplexity_fp32").asDouble(), nvfp4.get("perplexity_fp32").asDouble(), "same FP32 reference");
        assertEquals("nvfp4", nvfp4.get("weights").asText());
        assertEquals("fp8", nvfp4.get("kv_dtype").asText());
        for (JsonNode q : List.of(mxfp8, nvfp4)) {
            assertTrue(q.get("top1_agreement").asDouble() > 0.5 && q.get("top1_agreement").asDouble() < 1, q.toString());
            assertTrue(q.get("kl_divergence").asDouble() > 0, q.toString());
        }
        assertTrue(nvfp4.get("kl_divergence").asDouble() > mxfp8.get("kl_divergence").asDouble(), nvfp4 + " vs " + mxfp8);
    }

    @Test
    void longTextsAreScoredInWindowsThatEachStartWithBos(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("story.txt"), story());
        JsonNode whole = quality(text, "--weights", "mxfp8"), windowed = quality(text, "--weights", "mxfp8", "--context", "16");
        long tokens = whole.get("tokens_scored").asLong() + 1;  // BOS and the text's tokens
        // Windows of 16: the first holds 16 tokens, the later ones BOS + 15 (BOS is context, not scored).
        assertEquals(1 + (tokens - 16 + 14) / 15, windowed.get("windows").asLong());
        assertEquals(tokens - 1, windowed.get("tokens_scored").asLong(), "every token after the first BOS, once");
    }

    @Test
    void refusesEngineFilesAndBadFlags(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("story.txt"), "Once upon a time");
        Path engine = dir.resolve("m.euclid");
        assertEquals(0, CliRun.of("build", "--model", MODEL.toString(), "--weights", "nvfp4", "--out", engine.toString()).code());
        CliRun r = CliRun.of("quality", "--model", engine.toString(), "--text-file", text.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("engine file"), r.err());
        r = CliRun.of("quality", "--model", MODEL.toString(), "--weights", "fp5", "--text-file", text.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("fp5"), r.err());
        r = CliRun.of("quality", "--model", MODEL.toString(), "--text-file", dir.resolve("missing.txt").toString());
        assertEquals(1, r.code(), r.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
