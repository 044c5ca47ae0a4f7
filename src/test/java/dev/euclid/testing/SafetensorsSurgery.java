package dev.euclid.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/** Rewrites the JSON header of a safetensors file (keeping its data bytes) to make broken test inputs. */
public final class SafetensorsSurgery {
    private SafetensorsSurgery() {}

    /** Copies {@code in} to {@code out}, letting {@code edit} change the parsed header first. */
    public static void rewriteHeader(Path in, Path out, Consumer<ObjectNode> edit) throws IOException {
        byte[] bytes = Files.readAllBytes(in);
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = (ObjectNode) json.readTree(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8));
        edit.accept(header);
        byte[] newHeader = json.writeValueAsBytes(header);
        int padded = (newHeader.length + 7) / 8 * 8;
        byte[] headerBytes = Arrays.copyOf(newHeader, padded);
        Arrays.fill(headerBytes, newHeader.length, padded, (byte) ' ');
        ByteBuffer result = ByteBuffer.allocate(8 + padded + bytes.length - 8 - (int) headerLen).order(ByteOrder.LITTLE_ENDIAN);
        result.putLong(padded).put(headerBytes).put(bytes, 8 + (int) headerLen, bytes.length - 8 - (int) headerLen);
        Files.write(out, result.array());
    }

    /** Copies every file of a model folder into {@code dir}. */
    public static Path copyFolder(Path from, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var files = Files.list(from)) {
            for (Path p : files.toList()) Files.copy(p, dir.resolve(p.getFileName()));
        }
        return dir;
    }
}
