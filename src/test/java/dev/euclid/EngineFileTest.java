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
