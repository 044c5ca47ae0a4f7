package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Engine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code euclid synthetic}: the GGUF output and the per-format meaning of --dtype. */
class SyntheticCommandTest {
    @TempDir Path tmp;

    private static int run(StringWriter err, String... args) {
        return Main.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void writesAGgufTheEngineOpens() {
        Path out = tmp.resolve("tiny.gguf");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "synthetic", "--shape", "tiny", "--format", "gguf", "--dtype", "q8_0", "--out",
                out.toString()), err.toString());
        try (Engine engine = Engine.open(out)) {
            assertEquals("gguf:llama", engine.info().architecture());
        }
    }

    @Test
    void dtypeMustSuitTheFormat() {
        StringWriter err = new StringWriter();
        assertEquals(ExitCode.USAGE, run(err, "synthetic", "--shape", "tiny", "--format", "gguf", "--dtype", "BF16", "--out",
                tmp.resolve("x.gguf").toString()));
        assertTrue(err.toString().contains("--dtype BF16 is not valid for --format gguf (choose from [F16, Q8_0, Q4_0])"),
                err.toString());
    }
}
