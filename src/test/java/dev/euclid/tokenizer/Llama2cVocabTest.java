package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed llama2.c tokenizer files must fail with a message naming the file and the problem. */
class Llama2cVocabTest {
    @TempDir
    Path dir;

    @Test
    void truncatedFileIsReported() throws IOException {
        byte[] good = Files.readAllBytes(StoriesReference.dir().resolve("tok512.bin"));
        assertProblem(Arrays.copyOf(good, good.length - 3), 512, "truncated inside token 511");
        assertProblem(Arrays.copyOf(good, 2), 512, "truncated");
        assertProblem(Arrays.copyOf(good, 3000), 512, "truncated or wrong vocab size");
        assertProblem(Arrays.copyOf(good, 5000), 512, "truncated");
    }

    @Test
    void wrongVocabSizeIsReported() throws IOException {
        byte[] good = Files.readAllBytes(StoriesReference.dir().resolve("tok512.bin"));
        assertProblem(good, 0, "vocab size must be positive");
        assertProblem(good, -512, "vocab size must be positive");
        assertProblem(good, 400, "unexpected bytes after token 399");
        assertProblem(good, 513, "truncated at token 512");
        assertProblem(good, 1 << 30, "wrong vocab size");
    }

    @Test
    void badLengthsAreReported() throws IOException {
        assertProblem(file(7, new float[] {0}, new int[] {-1}, 0), 1, "token 0 has length -1");
        assertProblem(file(7, new float[] {0}, new int[] {1 << 30}, 0), 1, "token 0 has length 1073741824");
        assertProblem(file(7, new float[] {0, 0}, new int[] {3, 5}, 3), 2, "truncated inside token 1");
        assertProblem(file(-4, new float[] {0}, new int[] {0}, 0), 1, "max_token_length -4");
    }

    @Test
    void vocabWithoutByteTokensIsRejected() throws IOException {
        Path path = write(file(3, new float[] {0, 0}, new int[] {1, 1}, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Llama2cTokenizer.load(path, 2));
        assertTrue(e.getMessage().contains("too small"), e.getMessage());
    }

    @Test
    void wellFormedFileParses() {
        Llama2cVocab vocab = Llama2cVocab.parse(file(2, new float[] {1.5f, -2f}, new int[] {1, 2}, 3), 2, "x");
        assertEquals(-2f, vocab.scores()[1]);
        assertEquals("ab", new String(vocab.pieces()[1], StandardCharsets.ISO_8859_1));
    }

    /** Builds a file with the given header and entries; piece bytes are 'a', 'b', ... up to {@code bytes}. */
    private static byte[] file(int maxTokenLength, float[] scores, int[] lengths, int bytes) {
        ByteBuffer out = ByteBuffer.allocate(4 + 8 * scores.length + bytes).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(maxTokenLength);
        int written = 0;
        for (int i = 0; i < scores.length; i++) {
            out.putFloat(scores[i]).putInt(lengths[i]);
            for (int j = 0; j < lengths[i] && written < bytes; j++, written++) {
                out.put((byte) ('a' + j));
            }
        }
        return out.array();
    }

    private Path write(byte[] data) throws IOException {
        Path path = dir.resolve("tokenizer.bin");
        Files.write(path, data);
        return path;
    }

    private void assertProblem(byte[] data, int vocabSize, String problem) throws IOException {
        Path path = write(data);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Llama2cTokenizer.load(path, vocabSize));
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
