package dev.euclid.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading llama-bench's JSON lines; the suite runs the real binary in ComparisonSuiteTest. */
class LlamaBenchRunnerTest {
    /** One llama-bench JSON line in the fields' order of its jsonl output (most fields left out). */
    private static String test(int prompt, int gen, String samples) {
        return "{\"build_commit\": \"c392e5094\", \"build_number\": 4748, \"model_filename\": \"m.gguf\", \"n_threads\": 2, "
                + "\"n_prompt\": " + prompt + ", \"n_gen\": " + gen + ", \"avg_ts\": 1.0, \"samples_ts\": [ " + samples + " ]}";
    }

    @Test
    void promptAndGenerationTestsGiveEachRunsRate() throws Exception {
        List<String> out = List.of("", test(128, 0, "250.5, 260"), test(0, 64, "40.25, 41"));
        LlamaCppRunner.Result r = LlamaBenchRunner.parse(out, 128, 64, 2);
        assertArrayEquals(new double[] {250.5, 260}, r.prefill(), 0);
        assertArrayEquals(new double[] {40.25, 41}, r.decode(), 0);
        assertEquals("4748 (c392e5094)", r.build());
        assertEquals(LlamaBenchRunner.SOURCE, r.source());
    }

    @Test
    void aMissingTestOrAWrongSampleCountIsAnErrorNamingIt() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> LlamaBenchRunner.parse(List.of(test(128, 0, "250")), 128, 64, 1));
        assertTrue(missing.getMessage().contains("no tg64 result"), missing.getMessage());
        IllegalStateException otherPrompt = assertThrows(IllegalStateException.class,
                () -> LlamaBenchRunner.parse(List.of(test(512, 0, "250"), test(0, 64, "40")), 128, 64, 1));
        assertTrue(otherPrompt.getMessage().contains("no pp128 result"), otherPrompt.getMessage());
        IllegalStateException samples = assertThrows(IllegalStateException.class,
                () -> LlamaBenchRunner.parse(List.of(test(128, 0, "250"), test(0, 64, "40")), 128, 64, 3));
        assertTrue(samples.getMessage().contains("1 samples, expected 3"), samples.getMessage());
    }

    @Test
    void aBinaryThatFailsNamesItsExitAndOutput() {
        // /bin/false stands in for a llama-bench that cannot load the file: exit 1, nothing on stdout.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LlamaBenchRunner.measure(Path.of("/bin/false"), Path.of("m.gguf"), 1, 16, 8, 1, done -> {}));
        assertTrue(e.getMessage().contains("llama-bench on m.gguf failed (exit 1)"), e.getMessage());
    }
}
