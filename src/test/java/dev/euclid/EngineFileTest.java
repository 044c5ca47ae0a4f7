package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Engine files: built once, opened by mapping, self-contained, and refused when damaged. */
class EngineFileTest {
    @TempDir Path tmp;

    private static Path stories() {
        return SharedModels.models().resolve("stories260K/stories260K.bin");
    }

    /** A mistyped output path fails, naming the folder, before any work; it does not become new folders. */
    @Test
    void buildRefusesAFolderThatDoesNotExist() {
        Path missing = tmp.resolve("missing");
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> EngineBuilder.from(stories()).build(missing.resolve("stories.euclid")));
        assertTrue(e.getCause() instanceof java.nio.file.NoSuchFileException, String.valueOf(e.getCause()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(Files.notExists(missing));
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void engineFileGivesTheSameTokensAsConvertingAtOpen(Precision precision) throws IOException {
        // Built from the HF folder, opened from a folder that holds nothing else: the tokenizer travels inside.
        Path file = EngineBuilder.from(SharedModels.models().resolve("stories260K-hf")).weights(precision)
                .build(Files.createDirectories(tmp.resolve("alone")).resolve("stories.euclid"));
        Request request = Request.builder().prompt("Lily wanted to").maxTokens(60).build();
        Completion direct;
        try (Engine e = Engine.open(SharedModels.models().resolve("stories260K-hf"),
                EngineOptions.defaults().withWeights(precision))) {
            direct = e.generate(request);
        }
        try (Engine e = Engine.open(file)) {
            assertEquals(precision, e.weights());
            Completion fromFile = e.generate(request);
            assertArrayEquals(direct.promptTokenIds(), fromFile.promptTokenIds());
            assertArrayEquals(direct.tokenIds(), fromFile.tokenIds());
            assertEquals(direct.text(), fromFile.text());
            assertArrayEquals(new int[] {2}, e.defaultStopTokenIds());
        }
    }

    @Test
    void llama2cEngineFileKeepsItsTokenizerAndStopToken() {
        Path file = EngineBuilder.from(stories()).weights(Precision.FP16).build(tmp.resolve("s.euclid"));
        try (Engine e = Engine.open(file)) {
            assertArrayEquals(new int[] {1, 403, 407, 261, 378}, e.tokenizer().encode("Once upon a time"));
            assertArrayEquals(new int[] {1}, e.defaultStopTokenIds());
            assertTrue(e.weightBytesPerToken() > 0);
        }
    }

    /**
     * NVFP4 and MXFP4 engine files written before the 4-bit formats kept their embedding in INT8 hold
     * it in FP8. Such a file (made here as those builds made it: the FP8 engine's embedding rows,
     * encoded by the same FP8 encoder, in place of the INT8 ones) still opens and runs as the FP8
     * rows say; any other type there is refused, naming the tensor.
     */
    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"NVFP4", "MXFP4"})
    void fourBitFileWithAnFp8EmbeddingStillOpens(Precision precision) throws IOException {
        Path fp8 = EngineBuilder.from(stories()).weights(Precision.FP8).build(tmp.resolve("fp8.euclid"));
        Path current = EngineBuilder.from(stories()).weights(precision).build(tmp.resolve("now.euclid"));
        byte[] older = Files.readAllBytes(current);
        ByteBuffer from = ByteBuffer.wrap(Files.readAllBytes(fp8)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer to = ByteBuffer.wrap(older).order(ByteOrder.LITTLE_ENDIAN);
        int fromEntry = entry(from, "tok_embeddings"), toEntry = entry(to, "tok_embeddings");
        assertEquals(NATIVE_INT8, to.getInt(toEntry + 64), "the embedding is INT8 now");
        long rows = to.getLong(toEntry + 72), cols = to.getLong(toEntry + 80);
        copy(from, from.getLong(fromEntry + 88), to, to.getLong(toEntry + 88), rows * cols);
        copy(from, from.getLong(fromEntry + 96), to, to.getLong(toEntry + 96), rows * 4);
        to.putInt(toEntry + 64, NATIVE_FP8);
        Path old = tmp.resolve("old.euclid");
        Files.write(old, withChecksum(older));

        Path model = stories();
        try (Engine fp32 = Engine.open(model); Engine now = Engine.open(current); Engine before = Engine.open(old)) {
            assertEquals(precision, before.weights());
            assertEquals(now.weightBytesPerToken(), before.weightBytesPerToken());
            double top1 = TeacherForcedComparison.of(fp32, before, PrecisionAccuracyTest.referenceSequences()).top1Agreement();
            assertTrue(top1 >= 0.75, precision + " with an FP8 embedding: top-1 " + top1);
            assertTrue(TeacherForcedComparison.of(now, before, PrecisionAccuracyTest.referenceSequences()).top1Agreement() < 1,
                    "the FP8 rows are read as FP8, not as the INT8 ones");
        }
        to.putInt(toEntry + 64, NATIVE_BF16);
        Files.write(old, withChecksum(older));
        String msg = openFails(old);
        assertTrue(msg.contains("tok_embeddings"), msg);
    }

    private static final int NATIVE_BF16 = 1, NATIVE_FP8 = 3, NATIVE_INT8 = 4;  // WeightType in euclid.h

    /** The offset of tensor {@code name}'s 104-byte directory entry (EngineFile.h). */
    private static int entry(ByteBuffer file, String name) {
        int directory = Math.toIntExact(file.getLong(40));
        long entries = file.getLong(48);
        for (int i = 0; i < entries; i++) {
            int at = directory + 104 * i;
            byte[] raw = new byte[64];
            file.get(at, raw);
            String entryName = new String(raw, java.nio.charset.StandardCharsets.US_ASCII).split("\0", 2)[0];
            if (entryName.equals(name)) return at;
        }
        throw new AssertionError("no tensor " + name);
    }

    private static void copy(ByteBuffer from, long fromAt, ByteBuffer to, long toAt, long n) {
        to.put(Math.toIntExact(toAt), from, Math.toIntExact(fromAt), Math.toIntExact(n));
    }

    /** The file with its last 8 bytes set to Checksum.h's value of the bytes before them. */
    private static byte[] withChecksum(byte[] file) {
        int end = file.length - 8;
        int chunk = 1 << 20, chunks = (end + chunk - 1) / chunk;
        ByteBuffer crcs = ByteBuffer.allocate(4 * chunks).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < chunks; c++) {
            CRC32C crc = new CRC32C();
            crc.update(file, c * chunk, Math.min(chunk, end - c * chunk));
            crcs.putInt((int) crc.getValue());
        }
        CRC32C all = new CRC32C();
        all.update(crcs.array());
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(end, all.getValue());
        return file;
    }

    private Path built() throws IOException {
        return EngineBuilder.from(stories()).weights(Precision.INT8).build(tmp.resolve("m.euclid"));
    }

    private static String openFails(Path file) {
        return assertThrows(ModelFormatException.class, () -> Engine.open(file).close()).getMessage();
    }

    @Test
    void otherFormatVersionIsRefused() throws IOException {
        Path file = built();
        byte[] b = Files.readAllBytes(file);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 99);
        Files.write(file, b);
        String msg = openFails(file);
        assertTrue(msg.contains("version 99") && msg.contains("rebuild"), msg);
    }

    @Test
    void flippedByteFailsTheChecksum() throws IOException {
        Path file = built();
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 0x40;
        Files.write(file, b);
        String msg = openFails(file);
        assertTrue(msg.contains("checksum"), msg);
    }

    @Test
    void truncatedFileIsRefused() throws IOException {
        Path file = built();
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, b.length - 100));
        String msg = openFails(file);
        assertTrue(msg.contains("truncated"), msg);
        Files.write(file, Arrays.copyOf(b, 100));
        msg = openFails(file);
        assertTrue(msg.contains("too short"), msg);
    }
}
