package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.testing.SharedModels;
import dev.euclid.testing.TrainedDrafter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
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
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().contains("--drafter FILE goes with --speculative redrafter"), r.err());
    }

    /** Text and JSON run the same request: the samples decode together in both, and print the same texts. */
    @Test
    void samplesAreBatchedAlikeInTextAndJson() throws Exception {
        String[] args = {"generate", "--model", MODEL.get(), "--prompt", "Once upon a time", "--samples", "4",
                "--max-tokens", "200", "--temperature", "0.8", "--seed", "3"};
        CliRun json = run(Stream.concat(Arrays.stream(args), Stream.of("--json"))
                .toArray(String[]::new));
        assertEquals(0, json.code(), json.err());
        JsonNode samples = new ObjectMapper().readTree(json.out()).get("samples");
        assertEquals(4, samples.size());
        CliRun text = run(args);
        assertEquals(0, text.code(), text.err());
        StringBuilder expected = new StringBuilder();
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            expected.append(String.format("%n--- sample %d ---%n%s%n", i, samples.get(i).get("text").asText()));
            distinct.add(samples.get(i).get("text").asText());
        }
        assertEquals(expected.toString(), text.out());
        assertEquals(4, distinct.size(), "sample i draws with seed + i");
        // Forked from one prefill, the samples report the same prefill; one after another, later ones would hit the
        // prefix cache and report absurd rates.
        List<String> prefill = text.err().lines().filter(l -> l.startsWith("[sample "))
                .map(l -> l.replaceAll("^\\[sample \\d+: ([^;]*);.*$", "$1")).toList();
        assertEquals(4, prefill.size(), text.err());
        assertEquals(1, new HashSet<>(prefill).size(), text.err());
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
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().startsWith("error: --top-p must be in (0, 1]"), r.err());
        r = run("generate", "--model", "/nonexistent/model.bin", "--prompt", "x");
        assertEquals(ExitCode.RUNTIME, r.code());
        assertTrue(r.err().contains("/nonexistent/model.bin"), r.err());
    }
}
