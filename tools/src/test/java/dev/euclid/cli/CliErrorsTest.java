package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.euclid.internal.CudaFacts;
import dev.euclid.internal.DeviceSelection;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's error contract (README, "CLI reference"): one line naming the flag or the file, and an exit code per kind. */
class CliErrorsTest {
    @TempDir Path tmp;

    /** Java class names and API field names (camelCase) are the library's words, not the user's. */
    private static final Pattern NOT_FOR_USERS = Pattern.compile("Exception|java\\.|\\b[a-z]+[A-Z]\\w*\\b");

    private static String stories() {
        return SharedModels.models().resolve("stories260K/stories260K.bin").toString();
    }

    /** In-process the test JVM's logger shows the library's info lines, which the CLI's main() turns off. */
    private static final Pattern INFO_LOG = Pattern.compile("^\\[[^\\]]+\\] INFO .*$");

    private static String oneLineError(CliRun r, int code) {
        assertEquals(code, r.code(), r.err());
        List<String> lines = r.err().lines().filter(l -> !INFO_LOG.matcher(l).matches()).toList();
        assertEquals(1, lines.size(), "one line, no usage dump, progress bar or stack trace:\n" + r.err());
        String line = lines.get(0);
        assertTrue(line.startsWith("error: "), line);
        assertFalse(NOT_FOR_USERS.matcher(line).find(), line);
        return line.strip();
    }

    private static void usageError(String command, String expected, String... args) {
        String line = oneLineError(CliRun.of(args), ExitCode.USAGE);
        assertTrue(line.startsWith("error: " + expected), line);
        assertTrue(line.endsWith("see '" + String.join(" ", "euclid", command).strip() + " --help'"), line);
    }

    @Test
    void badFlagValuesAreUsageErrorsNamingTheFlag() {
        String m = stories();
        usageError("generate", "--max-tokens must be > 0", "generate", "--model", m, "--prompt", "x", "--max-tokens", "-1");
        usageError("generate", "invalid value for option '--max-tokens': 'abc'", "generate", "--model", m, "--prompt", "x",
                "--max-tokens", "abc");
        usageError("generate", "--samples must be >= 1", "generate", "--model", m, "--prompt", "x", "--samples", "0");
        usageError("generate", "--temperature must be", "generate", "--model", m, "--prompt", "x", "--temperature", "-1");
        usageError("generate", "--threads must be >= 0", "generate", "--model", m, "--prompt", "x", "--threads", "-3");
        usageError("generate", "invalid value for option '--weights': unknown weight precision 'fp7'", "generate",
                "--model", m, "--prompt", "x", "--weights", "fp7");
        usageError("generate", "invalid value for option '--kv-dtype'", "generate", "--model", m, "--prompt", "x",
                "--kv-dtype", "fp7");
        usageError("generate", "--kv-bytes must be >= 0", "generate", "--model", m, "--prompt", "x", "--kv-bytes", "-5");
        usageError("generate", "--kv-bytes 5 holds no block", "generate", "--model", m, "--prompt", "x", "--kv-bytes", "5");
        usageError("generate", "--kv-block-tokens must be in [1, 4096]", "generate", "--model", m, "--prompt", "x",
                "--kv-block-tokens", "0");
        usageError("generate", "--draft-tokens must be in [1, 63]", "generate", "--model", m, "--prompt", "x",
                "--speculative", "lookup", "--draft-tokens", "0");
        usageError("bench", "--gen-tokens must be >= 2", "bench", "--model", m, "--gen-tokens", "1");
        usageError("bench", "--runs must be >= 1", "bench", "--model", m, "--runs", "0");
        usageError("train-drafter", "--tokens-per-sequence (5) must exceed --draft-tokens + 1", "train-drafter", "--model",
                m, "--out", "d.drafter", "--tokens-per-sequence", "5");
    }

    @Test
    void aDeviceThatCannotBeUsedIsARuntimeErrorSayingWhy() {
        usageError("generate", "invalid value for option '--device': unknown device 'gpu'", "generate", "--model", stories(),
                "--prompt", "x", "--device", "gpu");
        usageError("bench", "invalid value for option '--device': unknown device 'cuda:x'", "bench", "--model", stories(),
                "--device", "cuda:x");
        Optional<String> why = DeviceSelection.unusable(CudaFacts.probe(), 0);
        assumeTrue(why.isPresent(), "CUDA is usable on this machine");
        String line = oneLineError(CliRun.of("generate", "--model", stories(), "--prompt", "x", "--device", "cuda"),
                ExitCode.RUNTIME);
        assertEquals("error: cannot run on cuda:0: " + why.get(), line);
    }

    @Test
    void unknownOrMissingOptionsAreUsageErrorsNotAUsageDump() {
        usageError("generate", "unknown option: '--bogus'", "generate", "--model", stories(), "--prompt", "x", "--bogus");
        usageError("generate", "missing required option: '--prompt=TEXT'", "generate", "--model", stories());
        String suggestion = oneLineError(CliRun.of("generate", "--model", stories(), "--prompt", "x", "--max-token", "3"),
                ExitCode.USAGE);
        assertTrue(suggestion.contains("did you mean --max-tokens?"), suggestion);
        usageError("", "missing required subcommand", new String[0]);
    }

    @Test
    void missingFilesAreRuntimeErrorsNamingTheFile() {
        String line = oneLineError(CliRun.of("generate", "--model", tmp.resolve("none.bin").toString(), "--prompt", "x"),
                ExitCode.RUNTIME);
        assertEquals("error: " + tmp.resolve("none.bin") + ": no such model file or folder", line);
        line = oneLineError(CliRun.of("generate", "--model", stories(), "--tokenizer", tmp.resolve("tok.bin").toString(),
                "--prompt", "x"), ExitCode.RUNTIME);
        assertEquals("error: " + tmp.resolve("tok.bin") + ": no such file or folder", line);
        line = oneLineError(CliRun.of("train-drafter", "--model", stories(), "--out", tmp.resolve("d").toString(),
                "--prompts", tmp.resolve("prompts.txt").toString()), ExitCode.RUNTIME);
        assertEquals("error: --prompts: " + tmp.resolve("prompts.txt") + ": no such file or folder", line);
    }

    @Test
    void promptsThatAreNotUtf8AreNamedWithTheirLine() throws IOException {
        Path prompts = Files.write(tmp.resolve("prompts.txt"), new byte[] {'O', 'n', 'c', 'e', '\n', 'a', (byte) 0xFF, '\n'});
        String line = oneLineError(CliRun.of("train-drafter", "--model", stories(), "--out", tmp.resolve("d").toString(),
                "--prompts", prompts.toString()), ExitCode.RUNTIME);
        assertEquals("error: --prompts " + prompts + " is not UTF-8 text: line 2 has the byte 0xFF (offset 6) that UTF-8"
                + " does not allow there", line);
    }

    @Test
    void outputFoldersAreNotCreated() {
        Path missing = tmp.resolve("missing");
        for (List<String> args : List.of(
                List.of("build", "--model", stories(), "--out", missing.resolve("s.euclid").toString()),
                List.of("synthetic", "--shape", "tiny", "--format", "gguf", "--out", missing.resolve("t.gguf").toString()),
                List.of("train-drafter", "--model", stories(), "--out", missing.resolve("d.drafter").toString()))) {
            String line = oneLineError(CliRun.of(args.toArray(String[]::new)), ExitCode.RUNTIME);
            assertEquals("error: " + missing + ": no such folder; create it first or choose another --out", line);
            assertFalse(Files.exists(missing), args.toString());
        }
    }

    @Test
    void weightsWithAnEngineFileIsRefusedNotIgnored() {
        Path engine = tmp.resolve("s.euclid");
        CliRun built = CliRun.of("build", "--model", stories(), "--weights", "fp16", "--out", engine.toString());
        assertEquals(ExitCode.OK, built.code(), built.err());
        String line = oneLineError(CliRun.of("generate", "--model", engine.toString(), "--weights", "int8", "--prompt", "x"),
                ExitCode.USAGE);
        assertTrue(line.startsWith("error: --weights int8 converts checkpoints, but " + engine + " is an engine file"), line);
        CliRun plain = CliRun.of("generate", "--model", engine.toString(), "--prompt", "Once", "--max-tokens", "4");
        assertEquals(ExitCode.OK, plain.code(), plain.err());
    }

    @Test
    void benchFailsBeforeDrawingItsProgressBar() {
        oneLineError(CliRun.of("bench", "--model", tmp.resolve("none.bin").toString()), ExitCode.RUNTIME);
        String line = oneLineError(CliRun.of("bench", "--model", stories(), "--prompt-tokens", "100000"), ExitCode.RUNTIME);
        assertEquals("error: prompt has 100000 tokens but the model context holds 512", line);
    }
}
