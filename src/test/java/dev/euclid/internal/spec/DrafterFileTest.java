package dev.euclid.internal.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.EngineOptions;
import dev.euclid.ModelFormatException;
import dev.euclid.Precision;
import dev.euclid.internal.ModelLoader;
import dev.euclid.internal.NativeModel;
import dev.euclid.synthetic.Llama2cWriter;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.testing.Llama2cTokenizerFile;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drafter file: round trip, every damaged part refused with a clear message, tied to its base model. */
class DrafterFileTest {
    private static NativeModel stories;
    private static BaseFingerprint fingerprint;
    private static DrafterFile drafter;
    @TempDir Path dir;

    @BeforeAll
    static void open() {
        stories = open(SharedModels.models().resolve("stories260K/stories260K.bin"), Precision.FP32);
        fingerprint = NativeDrafter.fingerprint(stories);
        drafter = DrafterFiles.random(fingerprint, 1, 9);
    }

    @AfterAll
    static void close() {
        stories.close();
    }

    private static NativeModel open(Path model, Precision weights) {
        return ModelLoader.open(model, EngineOptions.defaults().withThreads(1).withWeights(weights)).model();
    }

    @Test
    void roundTripKeepsEverything() {
        Path file = dir.resolve("d.drafter");
        drafter.write(file);
        DrafterFile back = DrafterFile.read(file);
        assertEquals(drafter.shape(), back.shape());
        assertEquals(drafter.base(), back.base());
        assertEquals(drafter.stats(), back.stats());
        assertArrayEquals(drafter.weights(), back.weights());
        try (NativeDrafter d = NativeDrafter.open(file, stories)) {
            int[] out = new int[2 * 3];
            d.proposeHidden(new float[64], 1, new int[] {1}, 2, 3, out, null);
            assertTrue(Arrays.stream(out).allMatch(t -> t >= 0 && t < 512));
        }
    }

    @Test
    void otherPrecisionsOfTheSameCheckpointAcceptTheDrafter() {
        Path file = dir.resolve("d.drafter");
        drafter.write(file);
        for (Precision p : new Precision[] {Precision.BF16, Precision.FP16, Precision.FP8, Precision.INT8}) {
            try (NativeModel m = open(SharedModels.models().resolve("stories260K/stories260K.bin"), p);
                    NativeDrafter d = NativeDrafter.open(file, m)) {
                BaseFingerprint f = NativeDrafter.fingerprint(m);
                double norm = fingerprint.normDeviation(f), direction = fingerprint.directionDeviation(f);
                System.out.printf("%s: sketch deviation: norms %.4f, directions %.4f%n", p, norm, direction);
                assertTrue(norm < BaseFingerprint.NORM_TOLERANCE / 2 && direction < BaseFingerprint.DIRECTION_TOLERANCE / 2,
                        p + ": deviation " + norm + ", " + direction);
            }
        }
        // The same weights in the other file formats.
        for (Path other : new Path[] {SharedModels.models().resolve("stories260K-hf"),
                SharedModels.models().resolve("stories260K-gguf/stories260K-f32.gguf")}) {
            try (NativeModel m = open(other, Precision.FP32); NativeDrafter d = NativeDrafter.open(file, m)) {
                BaseFingerprint f = NativeDrafter.fingerprint(m);
                assertEquals(0.0, fingerprint.normDeviation(f) + fingerprint.directionDeviation(f), 1e-6, other.toString());
            }
        }
    }

    @Test
    void anotherBaseModelIsRefusedNamingBothFingerprints() throws IOException {
        Path file = dir.resolve("d.drafter");
        drafter.write(file);
        // Same architecture as stories260K, other (random) weights: only the sketch differs.
        ModelShape same = new ModelShape(ModelShape.LLAMA, 64, 172, 5, 8, 4, 8, 512, 512, 10000, 1e-5, false, true);
        ModelShape tiny = ModelShape.named("tiny");
        for (ModelShape shape : new ModelShape[] {same, tiny}) {
            Path model = dir.resolve("synthetic-" + shape.dim() + ".bin");
            Llama2cWriter.write(model, new SyntheticModel(shape, 11));
            Llama2cTokenizerFile.write(dir.resolve("tokenizer.bin"), shape.vocab());
            NativeModel m = ModelLoader.open(model, EngineOptions.defaults().withThreads(1)
                    .withTokenizer(dir.resolve("tokenizer.bin"))).model();
            try (m) {
                ModelFormatException e = assertThrows(ModelFormatException.class, () -> NativeDrafter.open(file, m));
                BaseFingerprint f = NativeDrafter.fingerprint(m);
                String theirs = f.toString();
                System.out.printf("%s: sketch deviation: norms %.4f, directions %.4f%n", shape, fingerprint.normDeviation(f),
                        fingerprint.directionDeviation(f));
                assertTrue(e.getMessage().contains("trained for another base model") && e.getMessage().contains(fingerprint.toString())
                        && e.getMessage().contains(theirs), e.getMessage());
            }
        }
    }

    @Test
    void damagedFilesAreRefusedWithTheirReason() throws IOException {
        Path file = dir.resolve("d.drafter");
        drafter.write(file);
        byte[] good = Files.readAllBytes(file);

        byte[] magic = good.clone();
        magic[0] = 'X';
        assertRefused(magic, "not a drafter file");

        String meta = drafter.metadata();
        float[] w = drafter.weights();
        assertRefused(DrafterFiles.assemble(2, meta, w.length, w), "version 2 is not supported");

        byte[] flipped = good.clone();
        flipped[good.length - 100] ^= 0x10;
        assertRefused(flipped, "checksum mismatch");

        assertRefused(Arrays.copyOf(good, good.length - 9), "do not fit the file length");
        assertRefused(Arrays.copyOf(good, 20), "too short");
        assertRefused(DrafterFiles.assemble(1, meta, w.length + 1L, w), "do not fit the file length");

        // Consistent header and checksum, but the metadata's shape needs another weight count.
        String twoBlocks = meta.replace("\"mlp_layers\":1", "\"mlp_layers\":2");
        assertRefused(DrafterFiles.assemble(1, twoBlocks, w.length, w), "needs " + (w.length + 64 * 64 + 64) + " weights but the file holds " + w.length);
        String noBase = meta.replace("\"base\"", "\"based\"");
        assertRefused(DrafterFiles.assemble(1, noBase, w.length, w), "field 'base' is missing");
        assertRefused(DrafterFiles.assemble(1, meta.replace("\"dim\":64,\"ffn_dim\"", "\"dim\":65,\"ffn_dim\""), w.length, w),
                "does not fit its base model");
        assertRefused(DrafterFiles.assemble(1, "{not json", w.length, w), "not valid JSON");

        float[] nan = w.clone();
        nan[7] = Float.NaN;
        assertRefused(DrafterFiles.assemble(1, meta, nan.length, nan), "weight 7 is not a finite number");
    }

    private void assertRefused(byte[] bytes, String reason) throws IOException {
        Path file = Files.write(dir.resolve("bad.drafter"), bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DrafterFile.read(file));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }
}
