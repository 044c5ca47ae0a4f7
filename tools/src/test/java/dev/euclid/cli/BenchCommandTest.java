package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.testing.SharedModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** `euclid bench --json` reports the documented fields with plausible values (speed itself is not asserted). */
class BenchCommandTest {
    /** Runs `euclid bench --json ARGS` on stories260K and returns the JSON it printed. */
    private static JsonNode benchJson(String... args) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code;
        String[] all = new String[args.length + 4];
        all[0] = "bench";
        all[1] = "--model";
        all[2] = SharedModels.models().resolve("stories260K/stories260K.bin").toString();
        all[3] = "--json";
        System.arraycopy(args, 0, all, 4, args.length);
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.commandLine().setErr(new PrintWriter(err, true)).execute(all);
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code, err.toString());
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonReportsRatesAndBytesPerToken() throws Exception {
        JsonNode j = benchJson("--weights", "int8", "--threads", "1", "--prompt-tokens", "16", "--gen-tokens", "8",
                "--runs", "1");
        assertEquals("int8", j.get("weights").asText());
        assertEquals(1, j.get("threads").asInt());
        assertTrue(j.get("prefill_tokens_per_s").asDouble() > 0);
        assertTrue(j.get("decode_tokens_per_s").asDouble() > 0);
        // stories260K in int8: every matrix (the tied embedding once, as the head) at 1 byte per weight,
        // one FP32 scale per row, and the FP32 norms.
        long matrices = 5L * (64 * 64 * 2 + 32 * 64 * 2 + 172 * 64 * 3) + 512L * 64;
        long scales = 4L * (5L * (64 * 2 + 32 * 2 + 172 * 2 + 64) + 512);
        long norms = 4L * (5 * 2 * 64 + 64);
        assertEquals(matrices + scales + norms, j.get("weight_bytes_per_token").asLong());
    }

    @Test
    void bandwidthIsProbedAndDecodesShareOfItReported() throws Exception {
        JsonNode j = benchJson("--threads", "1", "--prompt-tokens", "16", "--gen-tokens", "8", "--runs", "1", "--bandwidth");
        double read = j.get("memory_read_bandwidth_bytes_per_s").asDouble();
        assertTrue(read > 1e8, "read bandwidth " + read);
        double decode = j.get("decode_tokens_per_s").asDouble() * j.get("weight_bytes_per_token").asLong();
        assertEquals(decode / read, j.get("decode_bandwidth_fraction").asDouble(), 1e-9);
    }

    @Test
    void pagedAgainstContiguousKvReportsEveryPair() throws Exception {
        JsonNode j = benchJson("--threads", "1", "--prompt-tokens", "40", "--gen-tokens", "9", "--runs", "3",
                "--kv-block-tokens", "4", "--vs-contiguous-kv");
        assertEquals(4, j.get("kv_block_tokens").asInt());
        assertEquals(49, j.get("contiguous_kv_block_tokens").asInt()); // the whole sequence in one block
        assertEquals(3, j.get("pair_ratios").size());
        double[] ratios = new double[3];
        for (int i = 0; i < 3; i++) ratios[i] = j.get("pair_ratios").get(i).asDouble();
        java.util.Arrays.sort(ratios);
        assertEquals(ratios[1], j.get("decode_ratio_vs_contiguous").asDouble(), 1e-12);
        assertTrue(j.get("decode_tokens_per_s").asDouble() > 0 && j.get("contiguous_decode_tokens_per_s").asDouble() > 0);
    }

    @Test
    void contiguousKvRefusesSequencesLongerThanABlock() throws Exception {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err, true)).execute("bench", "--model",
                SharedModels.models().resolve("stories260K/stories260K.bin").toString(), "--prompt-tokens", "4000",
                "--gen-tokens", "200", "--vs-contiguous-kv");
        assertTrue(code != 0);
        assertTrue(err.toString().contains("prompt + gen tokens are 4200"), err.toString());
    }
}
