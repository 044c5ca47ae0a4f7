package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Option checks of `euclid bench --compare` (the suite itself is exercised in ComparisonSuiteTest). */
class BenchCompareCommandTest {
    private static String fails(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err, true)).execute(args);
        assertEquals(ExitCode.USAGE, code, err.toString());
        return err.toString();
    }

    @Test
    void compareTakesShapesNotAModel() {
        assertTrue(fails("bench", "--compare", "--model", "synthetic:110m").contains("use --shapes instead of --model"));
    }

    @Test
    void unknownShapeNamesTheKnownOnes() {
        assertTrue(fails("bench", "--compare", "--shapes", "7b").contains("known shapes"));
    }

    @Test
    void passesMustBePositive() {
        assertTrue(fails("bench", "--compare", "--shapes", "tiny", "--passes", "0").contains("--passes must be >= 1, got 0"));
    }

    @Test
    void llamaBenchMustBeAnExecutableFile() {
        assertTrue(fails("bench", "--compare", "--shapes", "tiny", "--llama-bench", "/no/such/llama-bench")
                .contains("--llama-bench /no/such/llama-bench: not an executable file"));
    }

    @Test
    void singleModeNeedsAModelAndOneThreadCount() {
        assertTrue(fails("bench").contains("--model is required"));
        assertTrue(fails("bench", "--model", "synthetic:tiny", "--threads", "1,2").contains("one count without --compare"));
    }
}
