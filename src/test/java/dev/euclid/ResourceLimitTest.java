package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.SharedModels;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weight-size cap ({@link EngineOptions#withMaxWeightBytes}, default -Deuclid.maxWeightBytes)
 * refuses a model before any native allocation.
 */
class ResourceLimitTest {
    @TempDir Path tmp;

    @AfterEach
    void clearCap() {
        System.clearProperty(EngineOptions.MAX_WEIGHT_BYTES_PROPERTY);
    }

    private static Path stories() {
        return SharedModels.models().resolve("stories260K/stories260K.bin");
    }

    @Test
    void modelsOverTheCapOfTheOptionsAreRefusedBeforeAllocating() {
        Path engineFile = tmp.resolve("stories-int8.euclid");
        EngineBuilder.from(stories()).weights(Precision.INT8).build(engineFile);
        long before = Diagnostics.nativeBytesInUse();
        EngineOptions capped = EngineOptions.defaults().withThreads(1).withMaxWeightBytes(500_000); // ~1 MB FP32, ~0.3 MB INT8
        assertEquals(Long.MAX_VALUE, EngineOptions.defaults().maxWeightBytes(), "no cap unless asked for");

        String msg = assertThrows(ModelFormatException.class, () -> Engine.open(stories(), capped)).getMessage();
        assertTrue(msg.contains("stories260K.bin: the model's weights need "), msg);
        assertTrue(msg.contains("bytes, more than the 500000 allowed by maxWeightBytes"), msg);
        assertEquals(before, Diagnostics.nativeBytesInUse(), "nothing was allocated");
        msg = assertThrows(ModelFormatException.class,
                () -> Engine.open(SharedModels.models().resolve("stories260K-hf"), capped)).getMessage();
        assertTrue(msg.contains("maxWeightBytes"), msg);
        msg = assertThrows(ModelFormatException.class,
                () -> Engine.open(SharedModels.models().resolve("stories260K-gguf/stories260K-f32.gguf"), capped)).getMessage();
        assertTrue(msg.contains("maxWeightBytes"), msg);
        // The precision counts: the same checkpoint fits as INT8, and so does its INT8 engine file.
        Engine.open(stories(), capped.withWeights(Precision.INT8)).close();
        Engine.open(engineFile, capped).close();
        msg = assertThrows(ModelFormatException.class,
                () -> Engine.open(engineFile, capped.withMaxWeightBytes(100_000))).getMessage();
        assertTrue(msg.contains("more than the 100000 allowed by maxWeightBytes"), msg);
        assertEquals(before, Diagnostics.nativeBytesInUse());

        assertThrows(IllegalArgumentException.class, () -> capped.withMaxWeightBytes(0));
    }

    @Test
    void theSystemPropertyIsTheDefaultCap() {
        long before = Diagnostics.nativeBytesInUse();
        System.setProperty(EngineOptions.MAX_WEIGHT_BYTES_PROPERTY, "500000");
        assertEquals(500_000, EngineOptions.defaults().maxWeightBytes());
        String msg = assertThrows(ModelFormatException.class, () -> Engine.open(stories())).getMessage();
        assertTrue(msg.contains("more than the 500000 allowed by maxWeightBytes"), msg);
        assertEquals(before, Diagnostics.nativeBytesInUse(), "nothing was allocated");
        // An explicit cap overrides the property.
        Engine.open(stories(), EngineOptions.defaults().withThreads(1).withMaxWeightBytes(Long.MAX_VALUE)).close();

        System.setProperty(EngineOptions.MAX_WEIGHT_BYTES_PROPERTY, "lots");
        msg = assertThrows(IllegalArgumentException.class, () -> Engine.open(stories())).getMessage();
        assertTrue(msg.contains("euclid.maxWeightBytes must be a byte count"), msg);
        assertEquals(before, Diagnostics.nativeBytesInUse());
    }

    /**
     * INT8 activations give INT8 and 4-bit matrices a 16-row copy of about their size on every AVX2 or
     * AVX-512 CPU: the cap counts it (stories260K in INT8: about 0.3 MB of weights, about 0.3 MB of
     * copies; in Q4_0 about half each).
     */
    @Test
    void theCapCountsInt8ActivationsCopies() throws Exception {
        long before = Diagnostics.nativeBytesInUse();
        EngineOptions int8 = EngineOptions.defaults().withThreads(1).withWeights(Precision.INT8).withActivations(Activations.INT8);
        Engine.open(stories(), int8.withMaxWeightBytes(1_000_000)).close();
        boolean copies = java.nio.file.Files.readString(Path.of("/proc/cpuinfo")).contains(" avx2 ");
        if (copies) {
            String msg = assertThrows(ModelFormatException.class, () -> Engine.open(stories(), int8.withMaxWeightBytes(500_000)))
                    .getMessage();
            assertTrue(msg.contains("INT8 activations' 16-row copies of its matrices"), msg);
            assertTrue(msg.contains("together more than the 500000 allowed by maxWeightBytes"), msg);
        } else {
            Engine.open(stories(), int8.withMaxWeightBytes(500_000)).close();  // no copies on the portable path
        }
        Engine.open(stories(), int8.withActivations(Activations.FP32).withMaxWeightBytes(500_000)).close();

        // Q4_0: a cap that holds the weights exactly refuses their copies where they are made.
        EngineOptions q4 = int8.withWeights(Precision.Q4_0);
        String tooSmall = assertThrows(ModelFormatException.class, () -> Engine.open(stories(), q4.withMaxWeightBytes(1)))
                .getMessage();
        Matcher need = Pattern.compile("the model's weights need (\\d+) bytes").matcher(tooSmall);
        assertTrue(need.find(), tooSmall);
        EngineOptions exact = q4.withMaxWeightBytes(Long.parseLong(need.group(1)));
        if (copies) {
            String msg = assertThrows(ModelFormatException.class, () -> Engine.open(stories(), exact)).getMessage();
            assertTrue(msg.contains("INT8 activations' 16-row copies of its matrices"), msg);
        } else {
            Engine.open(stories(), exact).close();
        }
        Engine.open(stories(), exact.withActivations(Activations.FP32)).close();
        assertEquals(before, Diagnostics.nativeBytesInUse(), "the refused model was closed");
    }
}
