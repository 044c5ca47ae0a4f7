package dev.euclid.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.euclid.Diagnostics;
import dev.euclid.EngineBuilder;
import dev.euclid.EngineOptions;
import dev.euclid.Precision;
import dev.euclid.testing.SharedModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A native model (weights loaded from a checkpoint, or an engine file mapping) that is dropped
 * without close is freed by the Cleaner, with a warning, and every byte comes back.
 */
class NativeModelCleanerTest {
    @TempDir Path tmp;

    @Test
    void droppedModelsAreFreedWithAWarning() throws Exception {
        Path stories = SharedModels.models().resolve("stories260K/stories260K.bin");
        Path engineFile = tmp.resolve("stories.euclid");
        EngineBuilder.from(stories).weights(Precision.INT8).build(engineFile);
        long before = Diagnostics.nativeBytesInUse();
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            long held = openAndDrop(stories) + openAndDrop(engineFile);
            assertTrue(held > 0, "the dropped models held native memory");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Diagnostics.nativeBytesInUse() != before) {
                if (System.nanoTime() > deadline) {
                    fail("native memory not freed after GC: " + (Diagnostics.nativeBytesInUse() - before) + " bytes held");
                }
                System.gc();
                Thread.sleep(20);
            }
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("garbage-collected without close()"), "a warning names the missing close: " + log);
    }

    private static long openAndDrop(Path model) {
        long before = Diagnostics.nativeBytesInUse();
        ModelLoader.Loaded loaded = ModelLoader.open(model, EngineOptions.defaults().withThreads(1));
        assertTrue(loaded.model().bytesPerToken() > 0);
        return Diagnostics.nativeBytesInUse() - before;
    }
}
