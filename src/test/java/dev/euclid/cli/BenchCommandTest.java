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
    @Test
    void jsonReportsRatesAndBytesPerToken() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.commandLine().setErr(new PrintWriter(err, true)).execute("bench", "--model",
                    SharedModels.models().resolve("stories260K/stories260K.bin").toString(), "--weights", "int8",
                    "--threads", "1", "--prompt-tokens", "16", "--gen-tokens", "8", "--runs", "1", "--json");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code, err.toString());
        JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
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
}
