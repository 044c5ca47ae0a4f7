package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.internal.ModelLoader;
import dev.euclid.testing.SharedModels;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The weight-size cap (-Deuclid.maxWeightBytes) refuses a model before any native allocation. */
class ResourceLimitTest {
    @TempDir Path tmp;

    @AfterEach
    void clearCap() {
        System.clearProperty(ModelLoader.MAX_WEIGHT_BYTES);
    }

    @Test
    void modelsOverTheCapAreRefusedBeforeAllocating() {
        Path stories = SharedModels.models().resolve("stories260K/stories260K.bin");
        Path engineFile = tmp.resolve("stories-int8.euclid");
        EngineBuilder.from(stories).weights(Precision.INT8).build(engineFile);
        long before = Diagnostics.nativeBytesInUse();

        System.setProperty(ModelLoader.MAX_WEIGHT_BYTES, "500000"); // stories260K: ~1 MB FP32, ~0.3 MB INT8
        String msg = assertThrows(ModelFormatException.class, () -> Engine.open(stories)).getMessage();
        assertTrue(msg.contains("more than the 500000 allowed by -Deuclid.maxWeightBytes"), msg);
        assertEquals(before, Diagnostics.nativeBytesInUse(), "nothing was allocated");
        msg = assertThrows(ModelFormatException.class,
                () -> Engine.open(SharedModels.models().resolve("stories260K-hf"))).getMessage();
        assertTrue(msg.contains("maxWeightBytes"), msg);
        // The precision counts: the same checkpoint fits as INT8, and so does its INT8 engine file.
        Engine.open(stories, EngineOptions.defaults().withWeights(Precision.INT8)).close();
        Engine.open(engineFile).close();

        System.setProperty(ModelLoader.MAX_WEIGHT_BYTES, "100000");
        msg = assertThrows(ModelFormatException.class, () -> Engine.open(engineFile)).getMessage();
        assertTrue(msg.contains("maxWeightBytes"), msg);

        System.setProperty(ModelLoader.MAX_WEIGHT_BYTES, "lots");
        assertThrows(IllegalArgumentException.class, () -> Engine.open(stories));
        assertEquals(before, Diagnostics.nativeBytesInUse());
    }
}
