package dev.euclid.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.ModelFormatException;
import dev.euclid.internal.NativeApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The header of a safetensors file: an 8-byte little-endian length, a JSON object mapping tensor
 * names to dtype, shape and data offsets (relative to the end of the header). Every offset is
 * checked against the file length here, before anything is allocated from it.
 */
public final class SafetensorsFile {
    /** Real headers are a few hundred KB; this bounds what a hostile length can make us read. */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tensor's location: absolute byte range in the file. */
    public record Entry(String name, int dtype, long[] shape, long offset, long byteLength) {}

    private final Path file;
    private final Map<String, Entry> entries;

    private SafetensorsFile(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    public Path file() {
        return file;
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    public static SafetensorsFile open(Path file) {
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            if (size < 8) throw new ModelFormatException(file + ": too short for a safetensors header (" + size + " bytes)");
            ByteBuffer lenBuf = readFully(ch, 0, 8, file).order(ByteOrder.LITTLE_ENDIAN);
            long headerLen = lenBuf.getLong();
            if (headerLen < 2 || headerLen > MAX_HEADER_BYTES || headerLen > size - 8) {
                throw new ModelFormatException(file + ": safetensors header length " + Long.toUnsignedString(headerLen)
                        + " is impossible for a file of " + size + " bytes");
            }
            ByteBuffer header = readFully(ch, 8, (int) headerLen, file);
            String json = StandardCharsets.UTF_8.decode(header).toString();
            return new SafetensorsFile(file, parse(file, json, 8 + headerLen, size));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }

    private static Map<String, Entry> parse(Path file, String json, long dataStart, long fileSize) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": safetensors header is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new ModelFormatException(file + ": safetensors header is not a JSON object");
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (name.equals("__metadata__")) continue;
            JsonNode t = field.getValue();
            String where = file + ": tensor " + name;
            int dtype = dtype(where, t.path("dtype").asText(""));
            long[] shape = shape(where, t.path("shape"));
            JsonNode offsets = t.path("data_offsets");
            if (!offsets.isArray() || offsets.size() != 2 || !offsets.get(0).canConvertToLong()
                    || !offsets.get(1).canConvertToLong()) {
                throw new ModelFormatException(where + ": data_offsets must be two integers");
            }
            long begin = offsets.get(0).asLong(), end = offsets.get(1).asLong();
            if (begin < 0 || end < begin || end > fileSize - dataStart) {
                throw new ModelFormatException(where + ": data_offsets [" + begin + ", " + end + "] lie outside the "
                        + (fileSize - dataStart) + " data bytes of the file (truncated or corrupt)");
            }
            long bytes = byteSize(where, shape, dtype == NativeApi.DTYPE_F32 ? 4L : 2L);
            if (bytes != end - begin) {
                throw new ModelFormatException(where + ": shape needs " + bytes + " bytes but data_offsets span "
                        + (end - begin));
            }
            out.put(name, new Entry(name, dtype, shape, dataStart + begin, end - begin));
        }
        return out;
    }

    private static long byteSize(String where, long[] shape, long elementBytes) {
        try {
            long bytes = elementBytes;
            for (long d : shape) bytes = Math.multiplyExact(bytes, d);
            return bytes;
        } catch (ArithmeticException e) {
            throw new ModelFormatException(where + ": shape overflows 64-bit sizes");
        }
    }

    private static int dtype(String where, String name) {
        return switch (name) {
            case "F32" -> NativeApi.DTYPE_F32;
            case "F16" -> NativeApi.DTYPE_F16;
            case "BF16" -> NativeApi.DTYPE_BF16;
            default -> throw new ModelFormatException(where + ": dtype '" + name + "' is not supported (F32, F16, BF16)");
        };
    }

    private static long[] shape(String where, JsonNode node) {
        if (!node.isArray() || node.size() > 8) throw new ModelFormatException(where + ": shape must be an array of at most 8 dims");
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.canConvertToLong() || d.asLong() < 0 || d.asLong() > (1L << 40)) {
                throw new ModelFormatException(where + ": shape dim " + d + " is not a sane size");
            }
            shape[i] = d.asLong();
        }
        return shape;
    }

    private static ByteBuffer readFully(FileChannel ch, long pos, int len, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) throw new ModelFormatException(file + ": unexpected end of file");
        }
        return b.flip();
    }
}
