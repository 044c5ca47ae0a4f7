package dev.euclid.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Engine;
import dev.euclid.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark cache builds an engine file once and never measures a file an older build left. */
class BenchFilesTest {
    @TempDir Path cache;

    @Test
    void anOlderLayoutIsReplacedAndTheNewFileReused() throws Exception {
        Path unnumbered = cache.resolve("tiny-seed1-nvfp4.euclid");
        Files.writeString(unnumbered, "an engine file of layout 1");

        Path built = BenchFiles.engineFile(cache, "tiny", Precision.NVFP4);
        assertEquals(cache.resolve("tiny-seed1-nvfp4.v" + BenchFiles.ENGINE_LAYOUT + ".euclid"), built);
        assertFalse(Files.exists(unnumbered), "the layout-1 file is deleted");
        try (Engine e = Engine.open(built)) {
            assertEquals(Precision.NVFP4, e.weights());
        }
        long modified = Files.getLastModifiedTime(built).toMillis();
        assertEquals(built, BenchFiles.engineFile(cache, "tiny", Precision.NVFP4));
        assertEquals(modified, Files.getLastModifiedTime(built).toMillis(), "the cached file is reused");
        assertTrue(Files.exists(built));
    }
}
