package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.testing.SharedModels;
import dev.euclid.testing.TrainedDrafter;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The CLI as a user runs it, in-process: arguments in, stdout and exit code out. */
class GenerateCommandTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static final Supplier<String> MODEL =
            () -> SharedModels.models().resolve("stories260K/stories260K.bin").toString();

    @Test
    void jsonOutputHasTheDocumentedFields() throws Exception {
        CliRun r = run("generate", "--model", MODEL.get(), "--prompt", "Once upon a time", "--max-tokens", "12", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("[1,403,407,261,378]", j.get("prompt_token_ids").toString());
        assertEquals("[432,383,286,261,376,298,315,421,395,317,426,338]", j.get("token_ids").toString());
        assertEquals(", there was a little girl named Lily. She", j.get("text").asText());
        assertEquals("length", j.get("finish_reason").asText());
        assertTrue(j.get("timings").get("prefill_tokens_per_s").asDouble() > 0);
        assertTrue(j.get("timings").get("decode_tokens_per_s").asDouble() > 0);
    }

    @Test
    void drafterSpeculationKeepsTheTokensAndReportsAcceptedTokensPerStep() throws Exception {
        String drafter = TrainedDrafter.stories260k().toString();
        CliRun r = run("generate", "--model", MODEL.get(), "--prompt", "Once upon a time", "--max-tokens", "12", "--json",
                "--speculative", "redrafter", "--drafter", drafter, "--draft-tokens", "3", "--beams", "2");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("[432,383,286,261,376,298,315,421,395,317,426,338]", j.get("token_ids").toString());
        assertTrue(j.get("mean_accepted_tokens_per_step").asDouble() > 1.0, r.out());
        r = run("generate", "--model", MODEL.get(), "--prompt", "x", "--speculative", "redrafter");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--drafter FILE goes with --speculative redrafter"), r.err());
    }

    @Test
    void emptyPromptIsValidAndStreamingPrintsText() {
        CliRun r = run("generate", "--model", MODEL.get(), "--prompt", "", "--max-tokens", "30");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().strip().length() > 20, r.out());
    }

    @Test
    void badArgumentsGiveAMessageAndExitCode() {
        CliRun r = run("generate", "--model", MODEL.get(), "--prompt", "x", "--top-p", "1.5");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("topP must be in (0, 1]"), r.err());
        r = run("generate", "--model", "/nonexistent/model.bin", "--prompt", "x");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("/nonexistent/model.bin"), r.err());
    }
}
