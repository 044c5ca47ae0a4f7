package dev.euclid.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a llama2.c tokenizer.bin for synthetic checkpoints: specials, 256 byte pieces, then filler pieces. */
public final class Llama2cTokenizerFile {
    private Llama2cTokenizerFile() {}

    public static Path write(Path file, int vocab) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + vocab * 32).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(16);
        for (int id = 0; id < vocab; id++) {
            String piece = id == 0 ? "<unk>" : id == 1 ? "\n<s>\n" : id == 2 ? "\n</s>\n"
                    : id < 259 ? String.format("<0x%02X>", id - 3) : "tok" + id;
            byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
            b.putFloat(id < 259 ? 0f : -(id - 259)).putInt(bytes.length).put(bytes);
        }
        Files.write(file, java.util.Arrays.copyOf(b.array(), b.position()));
        return file;
    }
}
