package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Engine;
import dev.euclid.internal.format.GgufFile;
import dev.euclid.testing.SharedModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        assertTrue(err.toString().contains("--dtype BF16 is not valid for --format gguf (choose from [F16, Q8_0, Q4_0], or any "
                + "llama-quantize type with --llama-bin)"), err.toString());
        assertEquals(ExitCode.USAGE, run(err, "synthetic", "--shape", "tiny", "--format", "hf", "--llama-bin", tmp.toString(),
                "--dtype", "Q4_K_M", "--out", tmp.resolve("x").toString()));
        assertTrue(err.toString().contains("--llama-bin needs --format gguf and a --dtype"), err.toString());
    }

    /** With the native peer build, llama-quantize makes the file from the F16 one, as llama.cpp users get it. */
    @Test
    void llamaQuantizeMakesAQ4KmFile() throws Exception {
        Path bin = SharedModels.llamaPeer("llama-quantize").getParent();
        Path out = tmp.resolve("tiny-q4km.gguf");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "synthetic", "--shape", "tiny", "--format", "gguf", "--dtype", "Q4_K_M", "--llama-bin",
                bin.toString(), "--out", out.toString()), err.toString());
        assertEquals(LLAMA_FTYPE_MOSTLY_Q4_K_M, GgufFile.open(out).metadata().integer("general.file_type"));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(out), files.toList(), "the F16 file it was made from is gone");
        }
        try (Engine engine = Engine.open(out)) {
            assertEquals("gguf:llama", engine.info().architecture());
        }
    }

    private static final long LLAMA_FTYPE_MOSTLY_Q4_K_M = 15;
}
