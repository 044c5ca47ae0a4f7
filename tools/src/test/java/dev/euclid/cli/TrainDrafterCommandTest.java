package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.internal.spec.DrafterFile;
import dev.euclid.testing.SharedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-drafter as a user runs it, in-process, with settings small enough for a unit test. */
class TrainDrafterCommandTest {
    @TempDir Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void trainsFromAPromptFileAndPrintsTheHeldOutStats() throws Exception {
        Path prompts = Files.writeString(dir.resolve("prompts.txt"),
                "Once upon a time\nThe little dog\nLily saw a bird\n\nTom had a red ball\nThe sun was hot\n");
        Path out = dir.resolve("d.drafter");
        CliRun r = run("train-drafter", "--model", SharedModels.models().resolve("stories260K/stories260K.bin").toString(),
                "--out", out.toString(), "--prompts", prompts.toString(), "--held-out", "2", "--sequences", "6",
                "--tokens-per-sequence", "48", "--draft-tokens", "3", "--beams", "2", "--epochs", "1", "--threads", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(3, j.get("top1_accuracy").size());
        assertEquals(6, j.get("training_sequences").asInt());
        assertEquals(2, j.get("held_out_sequences").asInt());
        double accepted = j.get("mean_accepted_tokens").asDouble();
        assertTrue(accepted >= 1 && accepted <= 4, "one bonus token plus at most 3 drafts: " + accepted);
        assertEquals(accepted, DrafterFile.read(out).stats().meanAcceptedTokens());
    }

    @Test
    void tooFewPromptsIsAUserError() throws Exception {
        Path prompts = Files.writeString(dir.resolve("prompts.txt"), "Once upon a time\n");
        CliRun r = run("train-drafter", "--model", SharedModels.models().resolve("stories260K/stories260K.bin").toString(),
                "--out", dir.resolve("d.drafter").toString(), "--prompts", prompts.toString(), "--held-out", "1");
        assertEquals(ExitCode.RUNTIME, r.code());
        assertTrue(r.err().contains("1 prompts leave none for training after holding out 1"), r.err());
    }
}
