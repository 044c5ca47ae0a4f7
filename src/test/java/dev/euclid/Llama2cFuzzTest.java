package dev.euclid;

import dev.euclid.testing.Mutations;
import dev.euclid.testing.SharedModels;
import dev.euclid.tokenizer.Llama2cTokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of llama2.c inputs: the checkpoint header and length (through
 * {@link Engine#open}) and tokenizer.bin (parsed directly, then used; a sample through
 * {@link Engine#open}). Every round ends in a documented exception or in a working model/tokenizer.
 */
class Llama2cFuzzTest {
    private static final int HEADER_BYTES = 28;
    private static final String SAMPLE = "Once upon a time, Lily saw a big dog. \"Hi!\" 123 \u00fc\u00df \u4e2d \uD83D\uDE00\n\t";

    @TempDir Path tmp;

    @Test
    void damagedCheckpoint() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("l2c"));
        Files.copy(SharedModels.models().resolve("stories260K/tok512.bin"), dir.resolve("tok512.bin"));
        byte[] original = Files.readAllBytes(SharedModels.models().resolve("stories260K/stories260K.bin"));
        Path file = dir.resolve("model.bin");
        Mutations m = new Mutations(21);
        int opened = 0;
        for (int round = 0; round < 300; round++) {
            byte[] bytes = switch (round % 6) {
                case 0, 1 -> m.putInt(original, 4 * m.nextInt(7));
                case 2 -> m.putInt(m.putInt(original, 4 * m.nextInt(7)), 4 * m.nextInt(7));
                case 3 -> m.damage(original, 0, HEADER_BYTES, 3);
                case 4 -> m.truncate(original, original.length);
                default -> java.util.Arrays.copyOf(original, original.length + 1 + m.nextInt(64));
            };
            Files.write(file, bytes);
            if (HfFolderFuzzTest.openMustFailCleanly(file, "checkpoint round " + round)) opened++;
        }
        HfFolderFuzzTest.reportOutcomes("llama2.c checkpoint", opened, 300);
    }

    @Test
    void damagedTokenizer() throws IOException {
        byte[] original = Files.readAllBytes(SharedModels.models().resolve("stories260K/tok512.bin"));
        List<Integer> lengthFields = new ArrayList<>();
        List<Integer> scoreFields = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
        in.position(4);
        for (int id = 0; id < 512; id++) {
            scoreFields.add(in.position());
            lengthFields.add(in.position() + 4);
            in.position(in.position() + 8 + in.getInt(in.position() + 4));
        }
        Mutations m = new Mutations(22);
        Path dir = Files.createDirectories(tmp.resolve("tok"));
        Files.copy(SharedModels.models().resolve("stories260K/stories260K.bin"), dir.resolve("model.bin"));
        Path tokFile = dir.resolve("tokenizer.bin");
        int parsed = 0;
        for (int round = 0; round < 400; round++) {
            byte[] bytes = switch (round % 7) {
                case 0 -> m.putInt(original, 0); // max_token_length
                case 1, 2 -> m.putInt(original, lengthFields.get(m.nextInt(lengthFields.size())));
                case 3 -> m.putFloat(m.putFloat(original, scoreFields.get(m.nextInt(512))), scoreFields.get(m.nextInt(512)));
                case 4 -> m.truncate(original, original.length);
                default -> m.damage(original, 0, original.length, 8);
            };
            try {
                Llama2cTokenizer tokenizer = Llama2cTokenizer.fromBytes(bytes, 512, "round " + round);
                exercise(tokenizer);
                parsed++;
            } catch (IllegalArgumentException expected) {
                // a malformed file, named
            } catch (Throwable e) {
                throw new AssertionError("tokenizer round " + round + ": " + e, e);
            }
            if (round % 20 == 0) { // the same through the public API, which must say ModelFormatException
                Files.write(tokFile, bytes);
                HfFolderFuzzTest.openMustFailCleanly(dir.resolve("model.bin"), "tokenizer open round " + round);
            }
        }
        HfFolderFuzzTest.reportOutcomes("tokenizer.bin", parsed, 400);
    }

    /** Encodes and decodes with a tokenizer that parsed: only IllegalArgumentException may come out. */
    static void exercise(Tokenizer tokenizer) {
        int[] ids = tokenizer.encode(SAMPLE);
        tokenizer.decode(ids, -1);
        int[] all = new int[tokenizer.vocabSize()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        tokenizer.decode(all, -1);
        TextDecoder decoder = tokenizer.decoder(-1);
        for (int id : all) decoder.next(id);
        decoder.flush();
    }
}
